/**
 * Two things the Pulumi SDK does not export publicly and the product relies on, each reached through one
 * module: which config keys are secret (config/secretKeys.ts) and the engine's Log RPC from a dynamic
 * provider's process (clients/pulumiEngineLog.ts). An SDK upgrade that moves either fails here, by name,
 * instead of silently treating a secret as plain text or losing the cutover's progress lines.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as grpcTypes from "@grpc/grpc-js";
import { configKeyIsSecret } from "../../../config/secretKeys";
import { SDK_ENGINE_MODULES, connectEngineLog, engineAddressOfProviderHost } from "../../../clients/pulumiEngineLog";
import { engineProgress } from "../../../dynamic/cutover/progress";

const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] })) as typeof grpcTypes;

describe("which config keys are secret", () => {
  afterEach(() => pulumi.runtime.setAllConfig({}, []));

  it("tells a key set with --secret from a plain one", () => {
    pulumi.runtime.setAllConfig(
      { "kafka-cutover:source": '{"bootstrap":"b:9096"}', "kafka-cutover:destination": '{"apiSecret":"s"}' },
      ["kafka-cutover:destination"],
    );
    expect(configKeyIsSecret("kafka-cutover:destination")).toBe(true);
    expect(configKeyIsSecret("kafka-cutover:source")).toBe(false);
  });
});

interface Received {
  severity: number;
  message: string;
  urn: string;
  ephemeral: boolean;
}

/** A stand-in for the engine: the SDK's own service definition, answering Log and recording what came. */
async function fakeEngine(): Promise<{ address: string; received: Received[]; stop(): void }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const services = require(SDK_ENGINE_MODULES.services) as { EngineService: grpcTypes.ServiceDefinition };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const empty = require(require.resolve("google-protobuf/google/protobuf/empty_pb.js", { paths: [sdkDir] })) as {
    Empty: new () => unknown;
  };
  const received: Received[] = [];
  const server = new grpc.Server();
  server.addService(services.EngineService, {
    log: (
      call: {
        request: { getSeverity(): number; getMessage(): string; getUrn(): string; getEphemeral(): boolean };
      },
      done: (err: null, reply: unknown) => void,
    ) => {
      const r = call.request;
      received.push({
        severity: r.getSeverity(),
        message: r.getMessage(),
        urn: r.getUrn(),
        ephemeral: r.getEphemeral(),
      });
      done(null, new empty.Empty());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { address: `127.0.0.1:${port}`, received, stop: () => server.forceShutdown() };
}

describe("the engine's Log RPC", () => {
  it("carries the cutover's progress lines to the engine: severity, message, resource and the status column", async () => {
    const engine = await fakeEngine();
    try {
      const urn = "urn:pulumi:dev::kafka-cutover::kafka-cutover:index:MigrationGroup$GroupCutover::demo-cutover";
      const progress = engineProgress(urn, engine.address);
      expect(progress).toBeDefined();
      progress?.info("fence done 812 ms");
      progress?.status("waiting for 3 pods");
      progress?.warn("lag above threshold");
      const deadline = Date.now() + 20_000;
      while (engine.received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(engine.received).toEqual(
        expect.arrayContaining([
          { severity: 1, message: "fence done 812 ms", urn, ephemeral: false },
          { severity: 1, message: "waiting for 3 pods", urn, ephemeral: true },
          { severity: 2, message: "lag above threshold", urn, ephemeral: false },
        ]),
      );
    } finally {
      engine.stop();
    }
  });

  it("reports an engine that does not answer to its caller, never by throwing", async () => {
    const errors: Error[] = [];
    const log = connectEngineLog("127.0.0.1:1", (e) => errors.push(e));
    log.log({ severity: "info", message: "m", urn: "u", ephemeral: false });
    const deadline = Date.now() + 20_000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    log.close();
    expect(errors).toHaveLength(1);
  });

  it("finds the engine's address where the SDK's provider host receives it: its first argument", () => {
    expect(engineAddressOfProviderHost(["node", "dynamic-provider", "127.0.0.1:41234", "x"])).toBe("127.0.0.1:41234");
    expect(engineAddressOfProviderHost(["node", "jest"])).toBeUndefined();
    // The host itself says so: without an argument it refuses, naming the engine address.
    const host = spawnSync(process.execPath, [require.resolve("@pulumi/pulumi/cmd/dynamic-provider")], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(host.stderr).toContain("Missing <engine> address");
  });
});
