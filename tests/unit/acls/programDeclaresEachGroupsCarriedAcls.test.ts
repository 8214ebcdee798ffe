/**
 * The program under Pulumi mocks: a group with `aclPrincipals` gets one DestinationAcls, a child of its
 * MigrationGroup, with the group's topics and consumer groups, the mapping and both cluster accesses (the
 * passwords as secrets), and its cutover waits for it. A group without a mapping gets none, and the preview says
 * so. Both of a group's dynamic resources register: each passes its own URN to its provider without depending
 * on its parent, so neither waits for the other (see dynamic/ownUrn.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import type { LiveRoutesReader } from "../../../components/liveGateway";
import { rawConfig, validPlain, validSecrets } from "../config/rawConfig";

// The program reads the live Gateway CR; under mocks there is none yet.
const mockReadLiveRoutes = jest.fn<ReturnType<LiveRoutesReader>, Parameters<LiveRoutesReader>>(async () => undefined);
jest.mock("../../../components/liveGateway", () => ({
  readLiveRoutes: (...args: Parameters<LiveRoutesReader>) => mockReadLiveRoutes(...args),
}));

interface Declared {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  urn: string;
  parent: string;
  dependencies: string[];
}

/** The part of the engine's RegisterResourceRequest this test reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
}
interface Monitor {
  registerResource(req: RegisterRequest, callback: (err: unknown, res?: { getUrn(): string }) => void): Promise<void>;
}

const ACLS = "pulumi-nodejs:dynamic/kafka-cutover:DestinationAcls";
const CUTOVER = "pulumi-nodejs:dynamic/kafka-cutover:GroupCutover";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const URN = "urn:pulumi:test::kafka-cutover::";

/** Loads the program with `plain` under mocks that record each resource's inputs, parent and dependencies. */
async function declare(plain: Record<string, unknown>): Promise<Declared[]> {
  const inputs = new Map<string, Record<string, unknown>>();
  const declared: Declared[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        inputs.set(`${args.type}::${args.name}`, args.inputs);
        // The group's summary waits on its cutover's state, as the provider's create reports it.
        const state = args.type === CUTOVER ? { ...args.inputs, state: "standing-by" } : args.inputs;
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "kafka-cutover",
    "test",
    false,
  );
  // Mocks hand newResource no parent or dependencies: read them from the request the SDK sends the monitor.
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, res) => {
      if (res) {
        const key = `${req.getType()}::${req.getName()}`;
        declared.push({
          type: req.getType(),
          name: req.getName(),
          inputs: inputs.get(key) ?? {},
          urn: res.getUrn(),
          parent: req.getParent(),
          dependencies: req.getDependenciesList(),
        });
      }
      callback(err, res);
    });
  const raw = rawConfig(plain, validSecrets());
  pulumi.runtime.setAllConfig({ ...raw.values }, [...raw.secretKeys]);
  let program: typeof import("../../../index") | undefined;
  await jest.isolateModulesAsync(async () => {
    program = await import("../../../index");
  });
  // Every stack output waits for every group's children: a registration that never ends shows here by name.
  const outputs = Object.values(program!).filter(pulumi.Output.isInstance) as pulumi.Output<unknown>[];
  const settled = Promise.all(outputs.map((o) => new Promise((resolve) => o.apply(resolve))));
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<"stuck">((resolve) => (timer = setTimeout(() => resolve("stuck"), 45_000)));
  const outcome = await Promise.race([settled, stuck]);
  clearTimeout(timer);
  if (outcome === "stuck")
    throw new Error(`the program never finished registering; registered: ${declared.map((d) => d.name).join(", ")}`);
  return declared;
}

/** `v` with every value the engine marks secret left out. */
function withoutSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutSecrets);
  if (v && typeof v === "object") {
    if (SECRET_SIG in v) return "[secret]";
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutSecrets(x)]));
  }
  return v;
}

jest.setTimeout(90_000);

describe("a group's ACLs carried over, as the program declares them", () => {
  it("declares each mapped group's carried ACLs under its MigrationGroup, and its cutover waits for them", async () => {
    const logged: string[] = [];
    const log = jest.spyOn(console, "log").mockImplementation((message: string) => void logged.push(message));
    const plain = validPlain();
    (plain.groups as Record<string, unknown>[])[0].aclPrincipals = {
      "User:payments-app": "User:sa-pay1",
      "User:payments-audit": "User:sa-audit",
    };
    const declared = await declare(plain);
    log.mockRestore();

    const acls = declared.filter((d) => d.type === ACLS);
    expect(acls.map((d) => d.name)).toEqual(["payments-acls"]);
    const [payments] = acls;
    const group = declared.find((d) => d.name === "payments" && d.type === "kafka-cutover:index:MigrationGroup");
    expect(payments.parent).toBe(group?.urn);
    expect(payments.inputs).toMatchObject({
      group: "payments",
      topics: { "payments.transactions": "payments.transactions", "payments.events": "payments.events" },
      consumerGroups: ["payments-ledger"],
      principals: { "User:payments-app": "User:sa-pay1", "User:payments-audit": "User:sa-audit" },
      frozen: false,
      // Its provider reports on it by this URN: exactly the one the engine gives it.
      resourceUrn: payments.urn,
    });
    // Its serialized provider names its module inside the project, never a checkout's path (dynamic/delegate.ts).
    expect(String(payments.inputs.__provider)).toContain('"dynamic/acls/provider"');
    expect(String(payments.inputs.__provider)).not.toContain(process.cwd());
    expect(payments.urn).toBe(`${URN}kafka-cutover:index:MigrationGroup$${ACLS}::payments-acls`);
    // Mocks hand secret inputs over wrapped in the engine's secret signature: no password outside one.
    const outsideSecrets = JSON.stringify(withoutSecrets(payments.inputs));
    for (const secret of ["scram-password", "api-secret"]) expect(outsideSecrets).not.toContain(secret);
    expect(JSON.stringify(payments.inputs)).toContain("scram-password");

    // The route leads the group's clients to the destination only once their rights are there.
    const cutovers = new Map(declared.filter((d) => d.type === CUTOVER).map((d) => [d.name, d]));
    expect(cutovers.get("payments-cutover")?.dependencies).toContain(payments.urn);
    expect(cutovers.get("payments-cutover")?.inputs.resourceUrn).toBe(cutovers.get("payments-cutover")?.urn);
    // Neither waits for the other through their parent: the ACLs depend on no sibling.
    expect(payments.dependencies).not.toContain(cutovers.get("payments-cutover")?.urn);

    // orders has no mapping: nothing carried, and the preview says what its clients need.
    expect(cutovers.get("orders-cutover")?.dependencies.some((u) => u.includes(ACLS))).toBe(false);
    expect(logged.filter((l) => l.includes("no ACLs are carried"))).toEqual([
      "info: [runtime] group orders: no ACLs are carried from the source (groups[].aclPrincipals is not set); its clients need ACLs on the destination before the cutover",
    ]);
  });

  it("declares none when no group maps a principal", async () => {
    const declared = await declare(validPlain());
    expect(declared.filter((d) => d.type === ACLS)).toEqual([]);
    expect(declared.filter((d) => d.type === CUTOVER).map((d) => d.name)).toEqual([
      "payments-cutover",
      "orders-cutover",
    ]);
  });
});
