/**
 * The Pulumi engine's Log RPC, from inside a dynamic provider's process. The provider host is started with the
 * engine's address as its first argument but wires up no `pulumi.log`, and the SDK exports its generated gRPC
 * stubs only as private modules: this is the one place that reaches them (and grpc-js, through the SDK's own
 * copy). The unit test `privateSdkSurfacesAreWhereWeReachThem` fails when an SDK upgrade moves any of it.
 */
import * as path from "node:path";
import type * as grpc from "@grpc/grpc-js";

export const SDK_ENGINE_MODULES = {
  services: "@pulumi/pulumi/proto/engine_grpc_pb",
  messages: "@pulumi/pulumi/proto/engine_pb",
} as const;

export type LogSeverity = "info" | "warning";

/** pulumirpc.LogSeverity */
const SEVERITY: Record<LogSeverity, number> = { info: 1, warning: 2 };

export interface EngineLog {
  /** Best effort: an error is passed to `onError` (if any), never thrown. */
  log(entry: { severity: LogSeverity; message: string; urn: string; ephemeral: boolean }): void;
  close(): void;
}

interface EngineClient {
  log(req: unknown, cb: (err: Error | null) => void): void;
  close(): void;
}

interface LogRequest {
  setSeverity(s: number): void;
  setMessage(m: string): void;
  setUrn(u: string): void;
  setEphemeral(e: boolean): void;
}

/**
 * The engine's address as the dynamic-provider host received it (`node …/dynamic-provider <engine> …`), or
 * undefined when this process is not one (tests, tools).
 */
export function engineAddressOfProviderHost(argv: readonly string[] = process.argv): string | undefined {
  const address = argv[2];
  return address && /^[\w.-]+:\d+$/.test(address) ? address : undefined;
}

/** grpc-js as the SDK's stubs load it: one copy, whatever else node_modules holds. */
function sdkGrpc(): typeof grpc {
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] })) as typeof grpc;
}

/** A client of the engine's Log RPC at `address`; throws, naming the module, when the SDK moved its stubs. */
export function connectEngineLog(address: string, onError?: (err: Error) => void): EngineLog {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const services = require(SDK_ENGINE_MODULES.services) as {
    EngineClient?: new (addr: string, creds: grpc.ChannelCredentials) => EngineClient;
  };
  const messages = require(SDK_ENGINE_MODULES.messages) as { LogRequest?: new () => LogRequest };
  /* eslint-enable @typescript-eslint/no-require-imports */
  if (typeof services.EngineClient !== "function" || typeof messages.LogRequest !== "function")
    throw new Error(
      `${SDK_ENGINE_MODULES.services} or ${SDK_ENGINE_MODULES.messages} no longer export EngineClient and LogRequest: use the @pulumi/pulumi version in package.json`,
    );
  const Request = messages.LogRequest;
  const client = new services.EngineClient(address, sdkGrpc().credentials.createInsecure());
  return {
    log({ severity, message, urn, ephemeral }) {
      const req = new Request();
      req.setSeverity(SEVERITY[severity]);
      req.setMessage(message);
      req.setUrn(urn);
      req.setEphemeral(ephemeral);
      client.log(req, (err) => {
        if (err) onError?.(err);
      });
    },
    close: () => client.close(),
  };
}
