/**
 * The program under Pulumi mocks: config is validated before anything is declared, and the stack
 * outputs tell client teams where each group's route is and where the group stands.
 */
import * as pulumi from "@pulumi/pulumi";
import type { LiveRoutesReader } from "../../components/liveGateway";
import { rawConfig, validPlain, validSecrets } from "./config/rawConfig";

// The program reads the live Gateway CR; under mocks there is none yet.
const mockReadLiveRoutes = jest.fn<ReturnType<LiveRoutesReader>, Parameters<LiveRoutesReader>>(async () => undefined);
jest.mock("../../components/liveGateway", () => ({
  readLiveRoutes: (...args: Parameters<LiveRoutesReader>) => mockReadLiveRoutes(...args),
}));

interface Declared {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

function outputOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

async function loadProgram(
  plain: Record<string, unknown>,
  secrets: Record<string, string>,
  declared: Declared[] = [],
): Promise<{ program: typeof import("../../index"); declared: Declared[] }> {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        declared.push({ type: args.type, name: args.name, inputs: args.inputs });
        // A cutover asked for reports it ran, as the provider's create would; the others stand by.
        if (args.type === "pulumi-nodejs:dynamic/kafka-cutover:GroupCutover") {
          const ran = args.inputs.requested === true;
          return {
            id: `${args.name}-id`,
            state: {
              ...args.inputs,
              state: ran ? "cut-over" : "standing-by",
              ...(ran ? { blockedWindowMs: 1840 } : {}),
            },
          };
        }
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "kafka-cutover",
    "test",
    false,
  );
  const raw = rawConfig(plain, secrets);
  pulumi.runtime.setAllConfig({ ...raw.values }, [...raw.secretKeys]);
  let program: typeof import("../../index") | undefined;
  await jest.isolateModulesAsync(async () => {
    program = await import("../../index");
  });
  return { program: program!, declared };
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** Mocks hand secret inputs over wrapped in the engine's secret signature: unwrap them, at any depth. */
function unsecret(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unsecret);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (SECRET_SIG in o) return unsecret(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unsecret(x)]));
  }
  return v;
}

/** Waits for every stack output, so no registration is still running when the test ends. */
async function settle(program: Record<string, unknown>): Promise<void> {
  await Promise.all(
    Object.values(program)
      .filter(pulumi.Output.isInstance)
      .map((o) => outputOf(o as pulumi.Output<unknown>)),
  );
}

// Each test compiles and evaluates the whole program; on a loaded 2-core machine that alone can take 10 s.
jest.setTimeout(60_000);

describe("the program", () => {
  it("declares one MigrationGroup per group and exports each route endpoint, topics and cutover state", async () => {
    const { program, declared } = await loadProgram(validPlain(), validSecrets());
    const groups = await outputOf(program.migrationGroups);
    expect(groups).toEqual({
      payments: {
        endpoint: "payments.gw.example:9092",
        topics: ["payments.transactions", "payments.events"],
        consumerGroups: ["payments-ledger"],
        streamingDomain: "msk",
        state: "standing-by",
        timeline: [], // the mocked cutover ran no step
      },
      orders: {
        endpoint: "orders.gw.example:9092",
        topics: ["orders"],
        consumerGroups: [],
        streamingDomain: "confluent-cloud",
        state: "cut-over",
        blockedWindowMs: 1840,
        timeline: [],
      },
    });
    // Client teams read it with `pulumi stack output migrationGroups`: it must not be hidden as a secret.
    expect(await pulumi.isSecret(program.migrationGroups)).toBe(false);
    expect(declared.filter((d) => d.type === "kafka-cutover:index:MigrationGroup").map((d) => d.name)).toEqual([
      "payments",
      "orders",
    ]);
    expect(await outputOf(program.destinationClusterId)).toBe("lkc-abc123");
    expect(await outputOf(program.mirrorTopics)).toEqual({
      payments: ["payments.transactions", "payments.events"],
      orders: ["orders"],
    });
    expect(await outputOf(program.clusterLinkName)).toBe("msk-to-cc");
    await settle(program);
  });

  it("declares the Gateway CR with each route where its cutover left it, read after the cutovers", async () => {
    mockReadLiveRoutes.mockClear();
    const { program, declared } = await loadProgram(validPlain(), validSecrets());
    await settle(program);
    // One read of the live CR (the Gateway component waits for the cutovers; gateway.test.ts shows it).
    expect(mockReadLiveRoutes.mock.calls.map(([, namespace, name]) => [namespace, name])).toEqual([
      ["confluent", "migration-gateway"],
    ]);
    const cutoversDeclared = declared.filter((d) => d.type === "pulumi-nodejs:dynamic/kafka-cutover:GroupCutover");
    expect(cutoversDeclared).toHaveLength(2);
    const cr = declared.find(
      (d) =>
        d.type === "kubernetes:apiextensions.k8s.io:CustomResource" ||
        d.type.startsWith("kubernetes:platform.confluent.io"),
    );
    expect(cr).toBeDefined();
    const spec = cr!.inputs.spec as {
      routes: { name: string; streamingDomain: { name: string }; security: { auth: string }; fence?: unknown }[];
      secretStores?: unknown[];
    };
    expect(spec.routes.map((r) => [r.name, r.streamingDomain.name, r.security.auth])).toEqual([
      ["payments", "msk", "passthrough"],
      ["orders", "confluent-cloud", "swap"], // its cutover ran (no CR yet): the destination, with the group's swap
      ["scram-registration", "confluent-cloud", "swap"],
    ]);
    expect(spec.routes.every((r) => r.fence === undefined)).toBe(true);
    expect(spec.secretStores).toEqual([
      {
        name: "migration-gateway-store",
        provider: {
          type: "File",
          configSecretRef: "migration-gateway-file-store-config",
          clientCredentialsRef: "migration-gateway-swap-credentials",
        },
      },
    ]);
    const secrets = declared
      .filter((d) => d.type === "kubernetes:core/v1:Secret")
      .map((d) => (d.inputs.metadata as { name: string }).name);
    expect(secrets.sort()).toEqual([
      "migration-gateway-file-store-config",
      "migration-gateway-plain-jaas",
      "migration-gateway-swap-credentials",
    ]);
  });

  it("gives each group's cutover its routes, topics and deadlines, and no credential in its provider", async () => {
    const { program, declared } = await loadProgram(validPlain(), validSecrets());
    await settle(program);
    const cutovers = declared.filter((d) => d.type === "pulumi-nodejs:dynamic/kafka-cutover:GroupCutover");
    expect(cutovers.map((c) => [c.inputs.group, c.inputs.requested])).toEqual([
      ["payments", false],
      ["orders", true],
    ]);
    const orders = unsecret(cutovers[1].inputs) as {
      topics: Record<string, string>;
      gateway: {
        sourceRoute: { streamingDomain: { name: string } };
        destinationRoute: { security: { auth: string } };
        requiredSecrets: string[];
      };
      timeouts: { fenceMs: number };
    };
    expect(orders.topics).toEqual({ orders: "orders" });
    expect(orders.gateway.sourceRoute.streamingDomain.name).toBe("msk");
    expect(orders.gateway.destinationRoute.security.auth).toBe("swap");
    expect(orders.gateway.requiredSecrets).toEqual([
      "migration-gateway-file-store-config",
      "migration-gateway-swap-credentials",
      "migration-gateway-plain-jaas",
    ]);
    expect(orders.timeouts.fenceMs).toBe(30_000);
    for (const c of cutovers) {
      const provider = String(c.inputs.__provider);
      for (const secret of Object.values(validSecrets())) expect(provider).not.toContain(secret);
    }
  });
  it("gives a group's canary the route to sign in to, its mechanism, and its password only as a secret", async () => {
    const plain = validPlain();
    (plain.groups as Record<string, unknown>[])[1].canary = {
      topic: "kafka-cutover.canary",
      username: "orders-service",
    };
    const { program, declared } = await loadProgram(plain, {
      ...validSecrets(),
      canaryPasswords: JSON.stringify({ orders: "canary-pw" }),
    });
    await settle(program);
    const [payments, orders] = declared.filter((d) => d.type === "pulumi-nodejs:dynamic/kafka-cutover:GroupCutover");
    expect(payments.inputs.canary).toBeUndefined();
    expect(unsecret(orders.inputs.canary)).toEqual({
      topic: "kafka-cutover.canary",
      access: {
        bootstrap: "orders.gw.example:9092",
        securityProtocol: "SASL_PLAINTEXT",
        mechanism: "SCRAM-SHA-512",
        username: "orders-service",
        password: "canary-pw",
      },
    });
    // The engine receives the canary (its password inside) wrapped as a secret.
    expect(JSON.stringify(orders.inputs.canary)).toContain(SECRET_SIG);
    expect(String(orders.inputs.__provider)).not.toContain("canary-pw");
  });

  it("declares nothing when the config is invalid", async () => {
    const plain = validPlain();
    (plain.groups as Record<string, unknown>[])[0].topics = [];
    const declared: Declared[] = [];
    await expect(loadProgram(plain, validSecrets(), declared)).rejects.toThrow(
      "kafka-cutover:groups[0].topics: is empty",
    );
    expect(declared).toEqual([]);
  });
});
