/**
 * Progress messages from inside the provider process, attached to the cutover resource in the CLI. The
 * dynamic-provider host is started with the engine's address as its first argument but does not wire up
 * `pulumi.log`; we speak the engine's Log RPC ourselves. Outside Pulumi (tests) messages go to a sink.
 */
import * as grpc from "@grpc/grpc-js";

export interface Progress {
  /** A line in the resource's diagnostics. */
  info(message: string): void;
  /** The resource's status column: replaced by the next status, not kept. */
  status(message: string): void;
  warn(message: string): void;
}

interface EngineClient {
  log(req: unknown, cb: (err: Error | null) => void): void;
}

const SEVERITY = { info: 1, warning: 2 } as const;

export function engineProgress(urn: string, engineAddress = process.argv[2]): Progress | undefined {
  if (!engineAddress || !/^[\w.-]+:\d+$/.test(engineAddress)) return undefined;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const services = require("@pulumi/pulumi/proto/engine_grpc_pb") as {
    EngineClient: new (addr: string, creds: grpc.ChannelCredentials) => EngineClient;
  };
  const messages = require("@pulumi/pulumi/proto/engine_pb") as {
    LogRequest: new () => {
      setSeverity(s: number): void;
      setMessage(m: string): void;
      setUrn(u: string): void;
      setEphemeral(e: boolean): void;
    };
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const client = new services.EngineClient(engineAddress, grpc.credentials.createInsecure());
  const send = (severity: number, message: string, ephemeral: boolean) => {
    const req = new messages.LogRequest();
    req.setSeverity(severity);
    req.setMessage(message);
    req.setUrn(urn);
    req.setEphemeral(ephemeral);
    client.log(req, () => undefined); // progress is best effort: a lost line must never fail a cutover
  };
  return {
    info: (m) => send(SEVERITY.info, m, false),
    status: (m) => send(SEVERITY.info, m, true),
    warn: (m) => send(SEVERITY.warning, m, false),
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
