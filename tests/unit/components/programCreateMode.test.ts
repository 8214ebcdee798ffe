/**
 * The whole program in create mode with an MSK source, under mocks: what it exports, that no export is a
 * secret, that the Gateway's swap entries come from the keys the destination created, secret throughout, and
 * that the only line it logs is what destroy would keep.
 */
import * as pulumi from "@pulumi/pulumi";
import type { LiveRoutesReader } from "../../../components/liveGateway";
import { rawConfig } from "../config/rawConfig";
import { CREATE_SECRETS, createStack } from "./createConfig";
import { captureLogs, leaksIn } from "./logCapture";
import { SECRET_MARKER, inputsOf, isSecretValue, mockCloud, settled, valueOf } from "./mockCloud";

// The program reads the live Gateway CR; under mocks there is none yet.
jest.mock("../../../components/liveGateway", () => ({
  readLiveRoutes: (async () => undefined) satisfies LiveRoutesReader,
}));

// Each test compiles and evaluates the whole program; on a loaded 2-core machine that alone can take 10 s.
jest.setTimeout(60_000);

describe.each([false, true])("the program in create mode (preview: %s)", (preview) => {
  afterEach(() => jest.restoreAllMocks());

  it("exports the MSK brokers, the new cluster and each group's principal, and no secret", async () => {
    const logs = captureLogs();
    const cloud = mockCloud(preview);
    let plain: Record<string, unknown> = {};
    createStack("privatelink", (p) => {
      p.source = { mskClusterName: "orders-prod", auth: { mechanism: "SCRAM-SHA-512", username: "confluent-link" } };
      plain = p;
    });
    const raw = rawConfig(plain, CREATE_SECRETS);
    pulumi.runtime.setAllConfig({ ...raw.values }, [...raw.secretKeys]);
    let program: typeof import("../../../index") | undefined;
    await jest.isolateModulesAsync(async () => {
      program = await import("../../../index");
    });
    const p = program!;
    expect((await valueOf(p.sourceBrokerNodes)).map((b) => b.id)).toEqual([1, 2, 3]);
    expect(await valueOf(p.destinationClusterId)).toBe("lkc-9wz1");
    expect(await valueOf(p.destinationGroupPrincipals)).toEqual({
      payments: "User:sa-destination-payments-apps",
      orders: "User:sa-destination-orders-apps",
    });
    await settled(cloud);
    for (const [name, value] of Object.entries(p)) {
      if (!pulumi.Output.isInstance(value)) continue;
      // In a preview, outputs of resources not created yet (the cutovers' state) are unknown: nothing to leak.
      if (!(await (value as unknown as { isKnown: Promise<boolean> }).isKnown)) continue;
      expect([name, await pulumi.isSecret(value as pulumi.Output<unknown>)]).toEqual([name, false]);
      expect(JSON.stringify(await valueOf(value as pulumi.Output<unknown>))).not.toContain(SECRET_MARKER);
    }
    // The SCRAM password, the kubeconfig and every generated API secret reach children only as secrets.
    expect(leaksIn(cloud.declared)).toEqual([]);
    // The one line of the program's own: what destroy would keep, at stack level (no component logs). The
    // program's isolated copy of the SDK has no engine, so its pulumi.log reaches the console.
    expect(logs.ours()).toEqual([
      expect.stringMatching(
        /^(pulumi\.info|console\.log): (info: \[runtime\] )?what pulumi destroy would keep, delete and refuse:\n/,
      ),
    ]);
    expect(logs.ours()[0]).toContain("the Confluent environment msk-migration, the cluster orders-prod");
    expect(logs.lines().filter((l) => l.includes(SECRET_MARKER) && !l.startsWith("pulumi.debug: "))).toEqual([]);
  });

  it("fills the Gateway's secret store from the API key it created for each swap group, with no swapCredentials", async () => {
    const cloud = mockCloud(preview);
    const raw = rawConfig(
      (() => {
        let plain: Record<string, unknown> = {};
        createStack("privatelink", (p) => {
          plain = p;
        });
        return plain;
      })(),
      CREATE_SECRETS,
    );
    expect(Object.keys(CREATE_SECRETS)).not.toContain("swapCredentials");
    pulumi.runtime.setAllConfig({ ...raw.values }, [...raw.secretKeys]);
    let program: typeof import("../../../index") | undefined;
    await jest.isolateModulesAsync(async () => {
      program = await import("../../../index");
    });
    await valueOf(program!.gatewayName);
    await settled(cloud);
    const stringData = inputsOf(cloud, "kubernetes:core/v1:Secret", "gateway-swap-credentials").stringData;
    expect(isSecretValue(stringData)).toBe(true);
    // orders swaps (principal orders-service); payments passes through and gets no entry.
    expect((stringData as { value: unknown }).value).toEqual({
      "orders-service": `KEY-destination-orders-apps/${SECRET_MARKER}destination-orders-apps`,
    });
  });
});
