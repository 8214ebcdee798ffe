/**
 * Captures every line the program could log — Pulumi's engine log at every level and the console — so
 * tests can assert that no secret reaches a log and that components log nothing of their own.
 */
import * as pulumi from "@pulumi/pulumi";
import { SECRET_MARKER, plainStrings } from "./mockCloud";

/** The SDK's own RPC traces at debug level (shown only with `pulumi -v`); every other line is ours. */
const SDK_TRACE =
  /^(Registering resource|RegisterResource RPC|Invoking function|Invoke RPC|Reading resource|ReadResource RPC|Resource RPC prepared|Registering resource outputs|RegisterResourceOutputs RPC|, obj=|Found free variables)/;

export interface LogCapture {
  /** Every captured line, `<level>: <text>`. */
  readonly lines: () => string[];
  /** Lines our code wrote: anything but the SDK's debug traces. */
  readonly ours: () => string[];
}

/** Spies on the logs until `jest.restoreAllMocks()`. */
export function captureLogs(): LogCapture {
  const captured: { level: string; text: string }[] = [];
  const record =
    (level: string) =>
    (...args: unknown[]) => {
      captured.push({ level, text: args.map((a) => (typeof a === "string" ? a : safeJson(a))).join(" ") });
    };
  for (const level of ["debug", "info", "warn", "error"] as const)
    jest.spyOn(pulumi.log, level).mockImplementation(record(`pulumi.${level}`) as never);
  for (const level of ["log", "info", "warn", "error", "debug"] as const)
    jest.spyOn(console, level).mockImplementation(record(`console.${level}`));
  return {
    lines: () => captured.map((c) => `${c.level}: ${c.text}`),
    ours: () =>
      captured
        .filter((c) => !(c.level === "pulumi.debug" && SDK_TRACE.test(c.text)))
        .map((c) => `${c.level}: ${c.text}`),
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `name.path` of every plain-text (not secret-wrapped) input string that holds one of `secrets`. */
export function leaksIn(
  declared: readonly { name: string; inputs: Record<string, unknown> }[],
  secrets: readonly string[] = [SECRET_MARKER],
): string[] {
  return declared.flatMap((d) =>
    plainStrings(d.inputs)
      .filter((s) => secrets.some((secret) => s.value.includes(secret)))
      .map((s) => `${d.name}.${s.path}`),
  );
}
