/**
 * Finds secret markers wherever a run may have written them: CLI output, files (state, logs) and the
 * objects of a Kubernetes API. A marker counts in plain text (any case), in base64 or base64url at any
 * byte alignment (so inside `base64(key:secret)` too), and in hex. Each finding names its place.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export interface Marker {
  /** What the marker stands for, e.g. "sourcePassword". */
  readonly label: string;
  readonly value: string;
}

export type Encoding = "plain" | "base64" | "base64url" | "hex";

export interface Finding {
  readonly marker: string;
  readonly encoding: Encoding;
  /** `<file or source>:<line>`. */
  readonly where: string;
  /** The text around it, the marker replaced by `<label>`. */
  readonly excerpt: string;
}

/** A unique marker that is valid as a password, an API secret and a bearer token (letters and digits). */
export function newMarker(label: string): Marker {
  return { label, value: `KCLEAK${label.replace(/[^A-Za-z0-9]/g, "")}${randomBytes(8).toString("hex")}` };
}

interface Needle {
  readonly encoding: Encoding;
  readonly text: string;
  readonly caseInsensitive: boolean;
}

/**
 * The substrings any encoding of `value` contains wherever it starts: base64 of `value` after 0, 1 or 2 other
 * bytes, cut to the characters only `value`'s bytes decide.
 */
export function needlesOf(value: string): Needle[] {
  const bytes = Buffer.from(value, "utf8");
  const needles: Needle[] = [{ encoding: "plain", text: value.toLowerCase(), caseInsensitive: true }];
  for (const offset of [0, 1, 2]) {
    const b64 = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const start = [0, 2, 3][offset];
    const end = Math.floor((offset + bytes.length) / 3) * 4;
    const core = b64.slice(start, end);
    needles.push({ encoding: "base64", text: core, caseInsensitive: false });
    const url = core.replace(/\+/g, "-").replace(/\//g, "_");
    if (url !== core) needles.push({ encoding: "base64url", text: url, caseInsensitive: false });
  }
  const hex = bytes.toString("hex");
  needles.push({ encoding: "hex", text: hex, caseInsensitive: true });
  return needles;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

interface Hit {
  readonly marker: string;
  readonly encoding: Encoding;
  readonly index: number;
  readonly length: number;
}

function hitsIn(text: string, markers: readonly Marker[]): Hit[] {
  const hits: Hit[] = [];
  const lower = text.toLowerCase();
  for (const m of markers) {
    for (const n of needlesOf(m.value)) {
      const haystack = n.caseInsensitive ? lower : text;
      for (let i = haystack.indexOf(n.text); i >= 0; i = haystack.indexOf(n.text, i + 1))
        hits.push({ marker: m.label, encoding: n.encoding, index: i, length: n.text.length });
    }
  }
  return hits;
}

function excerptOf(text: string, h: Hit): string {
  const before = text.slice(Math.max(0, h.index - 80), h.index);
  const after = text.slice(h.index + h.length, h.index + h.length + 80);
  return `${before}<${h.marker}>${after}`.replace(/\s+/g, " ");
}

/** Every occurrence of every marker in `text`; `where` names the source (a file path, "stdout of up"). */
export function searchText(text: string, where: string, markers: readonly Marker[]): Finding[] {
  return hitsIn(text, markers).map((h) => ({
    marker: h.marker,
    encoding: h.encoding,
    where: `${where}:${lineAt(text, h.index)}`,
    excerpt: excerptOf(text, h),
  }));
}

/** Files larger than this (broker log segments after a load test) are read in chunks. */
const CHUNK = 16 * 1024 * 1024;

/** A large file chunk by chunk, each read with an overlap longer than any needle; a finding names its byte. */
function searchLargeFile(file: string, markers: readonly Marker[]): Finding[] {
  const overlap = 4 * Math.max(...markers.map((m) => m.value.length));
  const findings: Finding[] = [];
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(CHUNK + overlap);
    for (let at = 0; ; at += CHUNK) {
      const read = fs.readSync(fd, buffer, 0, CHUNK + overlap, at);
      if (read <= 0) break;
      const text = buffer.toString("latin1", 0, read);
      // A hit starting in the overlap belongs to the next chunk, which reads it whole.
      for (const h of hitsIn(text, markers).filter((x) => read < CHUNK + overlap || x.index < CHUNK))
        findings.push({
          marker: h.marker,
          encoding: h.encoding,
          where: `${file}@${at + h.index}`,
          excerpt: excerptOf(text, h),
        });
      if (read < CHUNK + overlap) break;
    }
  } finally {
    fs.closeSync(fd);
  }
  return findings;
}

export interface TreeOptions {
  /** Relative paths (with `/`) to leave out, each with why; a directory's entry covers what is inside. */
  readonly exclude?: Readonly<Record<string, string>>;
  /** Says why a line of a file is left out (a known third-party trace), or undefined to search it. */
  readonly skipLine?: (relPath: string, line: string) => string | undefined;
}

/** The file's text with the lines `skipLine` leaves out blanked, so line numbers stay true. */
function withoutSkipped(text: string, rel: string, skipLine: TreeOptions["skipLine"]): string {
  if (!skipLine) return text;
  return text
    .split("\n")
    .map((line) => (skipLine(rel, line) === undefined ? line : ""))
    .join("\n");
}

/** Every file under `root`, byte for byte (binary files too), except `exclude`. */
export function searchTree(root: string, markers: readonly Marker[], opts: TreeOptions = {}): Finding[] {
  const excluded = opts.exclude ?? {};
  const findings: Finding[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full).split(path.sep).join("/");
      if (rel in excluded) continue;
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && fs.statSync(full).size > CHUNK) findings.push(...searchLargeFile(full, markers));
      else if (e.isFile())
        findings.push(...searchText(withoutSkipped(readLatin1(full), rel, opts.skipLine), full, markers));
    }
  };
  if (fs.existsSync(root)) walk(root);
  return findings;
}

/** Bytes as one char each: ASCII markers match byte for byte in text and binary files alike. */
function readLatin1(file: string): string {
  try {
    return fs.readFileSync(file).toString("latin1");
  } catch (e) {
    // A file removed between the listing and the read (a rotated log) has nothing left to leak.
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw e;
  }
}

export interface KubeObjectLike {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly [field: string]: unknown;
}

/**
 * Every object, as JSON, except a Secret's `data` and `stringData` (where credentials belong). A Secret's
 * metadata is searched: an annotation such as last-applied-configuration would copy its data there.
 */
export function searchKubeObjects(objects: readonly KubeObjectLike[], markers: readonly Marker[]): Finding[] {
  return objects.flatMap((o) => {
    const shown = o.kind === "Secret" ? { ...o, data: undefined, stringData: undefined } : o;
    const where = `kubernetes ${o.kind ?? "?"} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name ?? "?"}`;
    return searchText(JSON.stringify(shown, null, 1), where, markers);
  });
}

/** One line per finding, for a failing assertion's message. */
export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.marker} (${f.encoding}) at ${f.where}: …${f.excerpt}…`).join("\n");
}
