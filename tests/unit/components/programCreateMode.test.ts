/** The whole program in create mode with an MSK source, under mocks: what it exports, and that no export is a secret. */
import * as pulumi from "@pulumi/pulumi";
import { rawConfig } from "../config/rawConfig";
import { CREATE_SECRETS, createStack } from "./createConfig";
import { SECRET_MARKER, mockCloud, settled, valueOf } from "./mockCloud";

describe.each([false, true])("the program in create mode (preview: %s)", (preview) => {
  it("exports the MSK brokers, the new cluster and each group's principal, and no secret", async () => {
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
  });
});
