/**
 * Progress messages from inside the provider process, attached to the cutover resource in the CLI. The
 * dynamic-provider host is started with the engine's address as its first argument but does not wire up
 * `pulumi.log`; we speak the engine's Log RPC ourselves (clients/pulumiEngineLog.ts). Outside Pulumi (tests)
 * messages go to a sink.
 */
import { connectEngineLog, engineAddressOfProviderHost } from "../../clients/pulumiEngineLog";

export interface Progress {
  /** A line in the resource's diagnostics. */
  info(message: string): void;
  /** The resource's status column: replaced by the next status, not kept. */
  status(message: string): void;
  warn(message: string): void;
}

export function engineProgress(urn: string, engineAddress = engineAddressOfProviderHost()): Progress | undefined {
  if (!engineAddress) return undefined;
  // Progress is best effort: a lost line must never fail a cutover.
  const engine = connectEngineLog(engineAddress);
  const send = (severity: "info" | "warning", message: string, ephemeral: boolean) =>
    engine.log({ severity, message, urn, ephemeral });
  return {
    info: (m) => send("info", m, false),
    status: (m) => send("info", m, true),
    warn: (m) => send("warning", m, false),
  };
}

/** Collects messages (tests, and the timeline's notes). */
export function memoryProgress(lines: string[] = []): Progress & { lines: string[] } {
  return {
    lines,
    info: (m) => lines.push(m),
    status: (m) => lines.push(`(status) ${m}`),
    warn: (m) => lines.push(`warning: ${m}`),
  };
}
