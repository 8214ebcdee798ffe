/**
 * The results chart as a self-contained SVG: per group size (equally spaced, so 1/10/100 read as a log
 * axis), every run as a dot and the median as a line, for the blocked window and the clients' stalls.
 */
import type { BenchRun } from "./runRecord";
import { median } from "./stats";

/** The smallest 1, 2 or 5 × 10^k at or above `x` (the axis top). */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 1;
  const pow = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * pow >= x) return m * pow;
  return 10 * pow;
}

/** Five evenly spaced ticks from 0 to `top`. */
export function ticks(top: number): number[] {
  return Array.from({ length: 6 }, (_, i) => (top * i) / 5);
}

export interface Series {
  readonly label: string;
  readonly color: string;
  readonly value: (r: BenchRun) => number | null;
}

export const SERIES: readonly Series[] = [
  { label: "blocked window (fence applied → switch applied)", color: "#d62728", value: (r) => r.blockedWindowMs },
  { label: "longest produce stall (send → ack)", color: "#1f77b4", value: (r) => r.maxProduceStallMs },
  { label: "longest consume gap", color: "#2ca02c", value: (r) => r.maxConsumeGapMs },
];

const W = 720;
const H = 420;
const M = { left: 70, right: 20, top: 30, bottom: 120 };

export function chartSvg(runs: readonly BenchRun[], title: string): string {
  const ok = runs.filter((r) => r.ok);
  const sizes = [...new Set(ok.map((r) => r.topics))].sort((a, b) => a - b);
  const values = ok.flatMap((r) => SERIES.map((s) => s.value(r) ?? 0));
  const top = niceCeil(Math.max(0, ...values));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (i: number, offset: number) => M.left + ((i + 0.5) / Math.max(sizes.length, 1)) * plotW + offset;
  const y = (v: number) => M.top + plotH - (v / top) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">${escape(title)}</text>`,
  ];
  for (const t of ticks(top)) {
    parts.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/>`,
      `<text x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end">${Math.round(t)}</text>`,
    );
  }
  parts.push(
    `<text transform="translate(16 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">milliseconds</text>`,
    `<text x="${M.left + plotW / 2}" y="${M.top + plotH + 36}" text-anchor="middle">topics in the group (3 partitions each)</text>`,
  );
  sizes.forEach((size, i) =>
    parts.push(`<text x="${x(i, 0)}" y="${M.top + plotH + 18}" text-anchor="middle">${size}</text>`),
  );
  SERIES.forEach((s, k) => {
    const offset = (k - 1) * 14;
    const medians = sizes.map((size, i) => {
      const vs = ok
        .filter((r) => r.topics === size)
        .map(s.value)
        .filter((v): v is number => v !== null);
      for (const v of vs)
        parts.push(`<circle cx="${x(i, offset)}" cy="${y(v)}" r="3" fill="${s.color}" fill-opacity="0.45"/>`);
      return vs.length > 0 ? `${x(i, offset)},${y(median(vs))}` : undefined;
    });
    const points = medians.filter((p): p is string => p !== undefined);
    if (points.length > 0)
      parts.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    const ly = M.top + plotH + 58 + k * 18;
    parts.push(
      `<line x1="${M.left}" x2="${M.left + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`,
      `<text x="${M.left + 30}" y="${ly}">${escape(s.label)}: median (line), each run (dots)</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
