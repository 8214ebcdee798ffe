/**
 * How the operator reads the swap Secrets (no brokers needed): the File store's separator (default `/`, split
 * at the first one), the plain-jaas template filled with the principal's API key and secret, and the
 * ApplyFailed messages for malformed values, templates and unsupported providers.
 */
import {
  InMemorySecrets,
  resolveGatewaySpec,
  type GatewaySpec,
  type Resolution,
  type SwapAuth,
} from "../../../local/gateway";
import { gatewaySpec, PLAIN_JAAS, STORE, STORE_CONFIG, SWAP_SECRET, swapSecrets } from "./helpers/cr";
import type { KafkaPairEndpoints } from "../../../local/kafka";

const endpoints = {
  source: { bootstrap: "127.0.0.1:19092" },
  destination: { bootstrap: "127.0.0.1:29092" },
} as KafkaPairEndpoints;
const spec: GatewaySpec = gatewaySpec(endpoints, [
  { name: "swap", port: 39000, domain: "destination", auth: "swap", client: "plain" },
]);

function resolve(secrets: InMemorySecrets, s: GatewaySpec = spec): Resolution {
  return resolveGatewaySpec(s, secrets);
}

function swapOf(r: Resolution): SwapAuth {
  if (!r.ok) throw new Error(r.errors.join("; "));
  const auth = r.routes[0].auth;
  if (auth.mode !== "swap") throw new Error("not a swap route");
  return auth;
}

function secretsWith(
  principals: Record<string, { apiKey: string; apiSecret: string }>,
  opts: { separator?: string; jaas?: string } = {},
): InMemorySecrets {
  const secrets = new InMemorySecrets();
  for (const s of swapSecrets(principals, opts)) secrets.put(s);
  return secrets;
}

it("splits principal values at the first separator and fills the jaas template with key and secret", () => {
  const auth = swapOf(resolve(secretsWith({ app: { apiKey: "KEY1", apiSecret: "se/cr+et" } })));
  expect(auth.cluster("app")).toEqual({ username: "KEY1", password: "se/cr+et" });
  expect(auth.plain("app", "se/cr+et")).toBe(true);
  expect(auth.plain("app", "KEY1")).toBe(false);
  expect(auth.plain("other", "se/cr+et")).toBe(false);
  expect(auth.cluster("other")).toBe(`principal other has no entry in secret ${SWAP_SECRET}`);
  expect(auth.mechanisms).toEqual(["PLAIN"]);
  expect(auth.registrar).toBeUndefined();
});

it("honours the config Secret's separator, and the default / when it has none", () => {
  expect(
    swapOf(resolve(secretsWith({ app: { apiKey: "K", apiSecret: "a/b:c" } }, { separator: ":" }))).cluster("app"),
  ).toEqual({ username: "K", password: "a/b:c" });
  const secrets = secretsWith({ app: { apiKey: "K", apiSecret: "S" } });
  secrets.put({ metadata: { name: STORE_CONFIG }, stringData: {} });
  expect(swapOf(resolve(secrets)).cluster("app")).toEqual({ username: "K", password: "S" });
});

it("fills the template's placeholders in order, with other options kept", () => {
  const jaas = 'org.apache.kafka.common.security.plain.PlainLoginModule required\n  password="%s"\n  username="%s";';
  expect(swapOf(resolve(secretsWith({ app: { apiKey: "K", apiSecret: "S" } }, { jaas }))).cluster("app")).toEqual({
    username: "S",
    password: "K",
  });
  const escaped =
    'org.apache.kafka.common.security.plain.PlainLoginModule required username="%s" password="%s" note="a \\"quoted\\" ;value";';
  expect(
    swapOf(resolve(secretsWith({ app: { apiKey: "K", apiSecret: "S" } }, { jaas: escaped }))).cluster("app"),
  ).toEqual({ username: "K", password: "S" });
});

it("reports every malformed Secret as ApplyFailed reasons", () => {
  const cases: [InMemorySecrets, string][] = [
    [
      (() => {
        const s = secretsWith({});
        s.put({ metadata: { name: SWAP_SECRET }, stringData: { app: "no-separator-here", other: "KEY/" } });
        return s;
      })(),
      `secretStore ${STORE}: secret ${SWAP_SECRET}: app, other: value is not <apiKey>/<apiSecret>`,
    ],
    [
      secretsWith(
        { app: { apiKey: "K", apiSecret: "S" } },
        { jaas: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="K" password="%s";' },
      ),
      `secret ${PLAIN_JAAS} plain-jaas.conf has 1 %s placeholders, needs 2`,
    ],
    [
      secretsWith(
        { app: { apiKey: "K", apiSecret: "S" } },
        { jaas: 'org.apache.kafka.common.security.plain.PlainLoginModule required user="%s" password="%s";' },
      ),
      `secret ${PLAIN_JAAS} plain-jaas.conf has no username option`,
    ],
    [
      secretsWith(
        { app: { apiKey: "K", apiSecret: "S" } },
        { jaas: 'org.apache.kafka.common.security.plain.PlainLoginModule mandatory username="%s" password="%s";' },
      ),
      `secret ${PLAIN_JAAS} plain-jaas.conf is not a JAAS config: mandatory is not a control flag`,
    ],
    [
      secretsWith(
        { app: { apiKey: "K", apiSecret: "S" } },
        { jaas: '%s org.apache.kafka.common.security.plain.PlainLoginModule required username="x" password="%s";' },
      ),
      "plain-jaas.conf",
    ],
  ];
  for (const [secrets, message] of cases) {
    const r = resolve(secrets);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join("; ")).toContain(message);
  }
  const vault: GatewaySpec = {
    ...spec,
    secretStores: [{ name: STORE, provider: { type: "Vault", configSecretRef: STORE_CONFIG } }],
  };
  const r = resolve(secretsWith({ app: { apiKey: "K", apiSecret: "S" } }), vault);
  expect(r.ok ? "" : r.errors.join("; ")).toContain(
    `secretStore ${STORE}: provider type Vault is not supported by the emulator (only File)`,
  );
});

it("offers SCRAM (and PLAIN with the API secret) on a registration route, SCRAM only on other scram routes", () => {
  const secrets = secretsWith({ app: { apiKey: "K", apiSecret: "S" } });
  const s = gatewaySpec(endpoints, [
    { name: "swap", port: 39000, domain: "destination", auth: "swap", client: "scram" },
    { name: "registration", port: 39010, domain: "destination", auth: "swap", client: "scram", registration: true },
  ]);
  const r = resolve(secrets, s);
  if (!r.ok) throw new Error(r.errors.join("; "));
  const [swap, registration] = r.routes.map((x) => x.auth as SwapAuth);
  expect(swap.mechanisms).toEqual(["SCRAM-SHA-512", "SCRAM-SHA-256"]);
  expect(swap.registrar).toBeUndefined();
  expect(swap.scram("SCRAM-SHA-512", "app")).toBeUndefined();
  expect(registration.mechanisms).toEqual(["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]);
  expect(registration.registrar).toBeDefined();
  expect(registration.scram("SCRAM-SHA-512", "app")).toBeDefined();
  expect(registration.scram("SCRAM-SHA-512", "stranger")).toBeUndefined();
});
