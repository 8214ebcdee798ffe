/**
 * Destroy, or a replacement, never takes away what clients depend on unless the stack config says so: under
 * Pulumi mocks, the options each child of the destination and the Gateway is declared with, per
 * `protection` mode; and the note the program prints about what destroy would keep, delete and refuse.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfluentDestination, Gateway, destroyNote, keepOptions } from "../../../components";
import { NetworkingType, RetentionMode, StackConfig, validateStackConfig } from "../../../config";
import { rawConfig, validPlain, validSecrets } from "../config/rawConfig";
import { CREATE_SECRETS, createStack } from "./createConfig";
import { MockCloud, mockCloud, settled, valueOf } from "./mockCloud";

/** The program's own principals (admin, link) and what only they use: scaffolding, deleted with the link. */
const SCAFFOLDING = /^(ServiceAccount|ApiKey|RoleBinding):destination-(admin|link)$|^KafkaAcl:destination-link-/;

function keptOf(cloud: MockCloud): Record<string, { retainOnDelete?: boolean; protect?: boolean }> {
  return Object.fromEntries(cloud.kept.entries());
}

async function destination(type: NetworkingType, retention: RetentionMode | undefined): Promise<MockCloud> {
  const cloud = mockCloud(false);
  const config = createStack(type);
  const d = new ConfluentDestination(
    "destination",
    { config: config.destination, groups: config.groups, ...(retention ? { retention } : {}) },
    { transformations: [cloud.transformation] },
  );
  await valueOf(pulumi.all([d.apiSecret, ...Object.values(d.groupAccess).map((a) => a.apiSecret)]));
  await settled(cloud);
  return cloud;
}

async function gateway(config: StackConfig, retention: RetentionMode | undefined): Promise<MockCloud> {
  const cloud = mockCloud(false);
  const gw = new Gateway(
    "gateway",
    {
      config: config.gateway,
      groups: config.groups,
      clusters: {
        source: { brokers: [{ host: "b-1.msk.example", port: 9096 }], securityProtocol: "SASL_SSL" },
        destination: { brokers: [{ host: "lkc-9wz1.example", port: 9092 }], securityProtocol: "SASL_SSL" },
      },
      destinationClusterId: pulumi.output("lkc-9wz1"),
      ...(retention ? { retention } : {}),
      // No cluster behind the test's kubeconfig: no live CR, so routes follow the config.
      readLiveRoutes: async () => undefined,
    },
    { transformations: [cloud.transformation] },
  );
  await valueOf(gw.name);
  await settled(cloud);
  return cloud;
}

describe("what the created destination is declared with", () => {
  it.each<NetworkingType>(["privatelink", "peering", "transitgateway"])(
    "keeps the environment, network (%s), cluster and the apps' and Gateway's access by default; deletes the program's own",
    async (type) => {
      const kept = keptOf(await destination(type, undefined));
      const names = Object.keys(kept);
      expect(names).toEqual(expect.arrayContaining(["Environment:destination", "KafkaCluster:destination"]));
      // Every AWS and Confluent networking child, whatever the type.
      expect(
        names.filter(
          (n) =>
            n.startsWith("Network:") ||
            /^(VpcEndpoint|Route|VpcPeeringConnectionAccepter|VpcAttachmentAccepter|Zone):/.test(n),
        ).length,
      ).toBeGreaterThan(1);
      const scaffolding = names.filter((n) => SCAFFOLDING.test(n));
      expect(scaffolding.sort()).toEqual(
        expect.arrayContaining([
          "ApiKey:destination-admin",
          "ApiKey:destination-link",
          "RoleBinding:destination-admin",
          "ServiceAccount:destination-admin",
          "ServiceAccount:destination-link",
        ]),
      );
      for (const n of scaffolding) expect([n, kept[n]]).toEqual([n, {}]);
      for (const n of names.filter((x) => !SCAFFOLDING.test(x)))
        expect([n, kept[n]]).toEqual([n, { retainOnDelete: true }]);
      expect(names).toEqual(
        expect.arrayContaining([
          "ServiceAccount:destination-payments-apps",
          "ApiKey:destination-payments-apps",
          "ServiceAccount:destination-gateway",
          "ApiKey:destination-gateway",
        ]),
      );
    },
  );

  it("protects what it keeps when protection.destination is protect, and keeps nothing when it is delete", async () => {
    const protectedOnes = keptOf(await destination("privatelink", "protect"));
    expect(protectedOnes["KafkaCluster:destination"]).toEqual({ retainOnDelete: true, protect: true });
    expect(protectedOnes["ApiKey:destination-orders-apps"]).toEqual({ retainOnDelete: true, protect: true });
    expect(protectedOnes["VpcEndpoint:destination-network"]).toEqual({ retainOnDelete: true, protect: true });
    expect(protectedOnes["ApiKey:destination-admin"]).toEqual({});

    const deleted = keptOf(await destination("privatelink", "delete"));
    expect(Object.values(deleted).every((o) => Object.keys(o).length === 0)).toBe(true);
  });
});

describe("what the Gateway is declared with", () => {
  const swapStack = (): StackConfig => validateStackConfig(rawConfig(validPlain(), validSecrets()));

  it("keeps the CR and every Secret its routes read by default, not the kubernetes provider", async () => {
    const kept = keptOf(await gateway(swapStack(), undefined));
    expect(kept).toMatchObject({
      "Gateway:gateway-cr": { retainOnDelete: true },
      "Secret:gateway-store-config": { retainOnDelete: true },
      "Secret:gateway-swap-credentials": { retainOnDelete: true },
      "Secret:gateway-plain-jaas": { retainOnDelete: true },
    });
    expect(Object.entries(kept).filter(([n]) => n.endsWith(":gateway-k8s"))).toEqual([["kubernetes:gateway-k8s", {}]]);
  });

  it.each<[RetentionMode, { retainOnDelete?: boolean; protect?: boolean }]>([
    ["retain", { retainOnDelete: true }],
    ["protect", { retainOnDelete: true, protect: true }],
    ["delete", {}],
  ])("protection.gateway %s declares the CR and its Secrets with %j", async (mode, want) => {
    const kept = keptOf(await gateway(swapStack(), mode));
    for (const n of ["Gateway:gateway-cr", "Secret:gateway-swap-credentials"]) expect([n, kept[n]]).toEqual([n, want]);
  });
});

describe("keepOptions", () => {
  it("stands each mode for its resource options", () => {
    expect(keepOptions("retain")).toEqual({ retainOnDelete: true });
    expect(keepOptions("protect")).toEqual({ retainOnDelete: true, protect: true });
    expect(keepOptions("delete")).toEqual({});
  });
});

describe("the note on what destroy would keep", () => {
  it("names what an existing-mode stack keeps and the groups that block destroy", () => {
    const note = destroyNote(validateStackConfig(rawConfig(validPlain(), validSecrets())));
    expect(note).toMatch(/^what pulumi destroy would keep, delete and refuse:\n/);
    expect(note).toContain(
      "the destination cluster lkc-abc123 is not declared by this stack (destination.mode: existing): destroy never touches it",
    );
    expect(note).toContain(
      "the Gateway CR confluent/migration-gateway and the Secrets its swap routes read (migration-gateway-file-store-config, migration-gateway-swap-credentials, migration-gateway-plain-jaas): kept (protection.gateway: retain): destroy or a replacement removes them from the stack's state and leaves them running; clients connect through it",
    );
    expect(note).toContain(
      "the cluster link msk-to-cc and its mirror topics: deleted, only once every mirror on the link is promoted",
    );
    // payments stands by; orders asks to be cut over.
    expect(note).toContain(
      "destroy refuses to delete the mirror topics of groups not cut over (cutover: false): payments;",
    );
    expect(note).toContain("change a setting, run pulumi up, then destroy");
  });

  it("says what protect and delete do, and which groups are abandoned", () => {
    const cfg = createStack("privatelink", (p) => {
      p.protection = { destination: "protect", gateway: "delete", abandonGroups: ["payments"] };
    });
    const note = destroyNote(cfg);
    expect(note).toContain(
      "the Confluent environment msk-migration, the cluster orders-prod, its network, and the principals, API keys and ACLs of the groups' applications and of the Gateway: protected (protection.destination: protect): pulumi destroy and any replacement of them fail until protection.destination is retain or delete and pulumi up has run",
    );
    expect(note).toContain(
      "migration-gateway-plain-jaas): deleted (protection.gateway: delete); clients that still connect through it lose their routes",
    );
    expect(note).toContain("so are the program's own admin and link principals and keys");
    expect(note).toContain(
      "abandoned (protection.abandonGroups): payments: deleting their mirror topics fails them over",
    );
    expect(note).not.toContain("destroy refuses");
    expect(Object.keys(CREATE_SECRETS)).not.toContain("destinationApiSecret");
  });
});
