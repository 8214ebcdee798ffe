/**
 * The operator serves an oauth cluster side only with what it needs: the `jaasConfigPassThrough` Secret's OAuth
 * template (under either key Confluent's guides name) with clientId and clientSecret placeholders, and an http(s)
 * `oauthSettings.tokenEndpointUri`; anything else is an ApplyFailed reason naming the field or Secret. The login
 * it builds carries the template's SASL extensions, and Kafka's allowed-URLs rule (exact entries, from GATEWAY_OPTS)
 * is what decides whether the token endpoint may be called.
 */
import { InMemorySecrets, resolveGatewaySpec, type GatewaySpec, type RouteSpec } from "../../../local/gateway";
import {
  checkAllowedUrl,
  oauthBearerClientFirstMessage,
  systemProperties,
} from "../../../local/gateway/auth/oauthTokens";
import type { KafkaPairEndpoints } from "../../../local/kafka";
import { gatewaySpec, swapSecrets } from "../../integration/gateway/helpers/cr";

const endpoints = {
  source: { bootstrap: "127.0.0.1:9092" },
  destination: { bootstrap: "127.0.0.1:9093" },
} as KafkaPairEndpoints;
const TEMPLATE =
  'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId="%s" clientSecret="%s" extension_logicalCluster="lkc-1" extension_identityPoolId="pool-2";';
const ENDPOINT = "https://idp.example.com/oauth2/token";

function oauthSpec(edit: (cluster: Record<string, unknown>) => void = () => undefined): GatewaySpec {
  const spec = gatewaySpec(endpoints, [{ name: "o", port: 30000, domain: "destination", auth: "swap" }]);
  const route = (spec.routes as RouteSpec[])[0];
  const authentication: Record<string, unknown> = {
    type: "oauth",
    jaasConfigPassThrough: { secretRef: "gw-oauth-jaas" },
    oauthSettings: { tokenEndpointUri: ENDPOINT },
  };
  edit(authentication);
  (route.security as NonNullable<RouteSpec["security"]>).cluster = { authentication };
  return spec;
}

function secretsWith(jaas: Record<string, string> | undefined): InMemorySecrets {
  const secrets = new InMemorySecrets();
  for (const s of swapSecrets({ app: { apiKey: "client-1", apiSecret: "s3cret" } })) secrets.put(s);
  if (jaas) secrets.put({ metadata: { name: "gw-oauth-jaas" }, stringData: jaas });
  return secrets;
}

function errors(spec: GatewaySpec, secrets: InMemorySecrets): string {
  const result = resolveGatewaySpec(spec, secrets);
  if (result.ok) throw new Error("expected the spec to be refused");
  return result.errors.join("\n");
}

it("builds an OAUTHBEARER login from the store entry, carrying the template's SASL extensions", () => {
  for (const key of ["oauth-jaas.conf", "oauth-jass.conf"]) {
    const result = resolveGatewaySpec(oauthSpec(), secretsWith({ [key]: TEMPLATE }));
    if (!result.ok) throw new Error(result.errors.join("\n"));
    const auth = result.routes[0].auth;
    if (auth.mode !== "swap") throw new Error("not a swap route");
    expect(auth.cluster("app")).toMatchObject({
      oauthClient: "client-1",
      extensions: { logicalCluster: "lkc-1", identityPoolId: "pool-2" },
    });
    expect(auth.cluster("stranger")).toBe("principal stranger has no entry in secret gw-swap-credentials");
  }
});

it("refuses a missing or unusable template and a missing or non-http token endpoint, naming each", () => {
  expect(errors(oauthSpec(), secretsWith(undefined))).toContain("secretRef gw-oauth-jaas not found");
  expect(errors(oauthSpec(), secretsWith({ "plain-jaas.conf": TEMPLATE }))).toContain(
    "secret gw-oauth-jaas has no key oauth-jaas.conf or oauth-jass.conf",
  );
  expect(
    errors(
      oauthSpec(),
      secretsWith({ "oauth-jaas.conf": TEMPLATE.replace("OAuthBearerLoginModule", "OAuthBearerLoginModul") }),
    ),
  ).toContain("login module is org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModul, needs");
  expect(
    errors(oauthSpec(), secretsWith({ "oauth-jaas.conf": TEMPLATE.replace('clientSecret="%s"', 'secret="%s"') })),
  ).toContain("secret gw-oauth-jaas oauth-jaas.conf has no clientSecret option");
  expect(
    errors(
      oauthSpec((c) => delete c.oauthSettings),
      secretsWith({ "oauth-jaas.conf": TEMPLATE }),
    ),
  ).toContain("cluster.authentication.oauthSettings.tokenEndpointUri is required with type oauth");
  expect(
    errors(
      oauthSpec((c) => (c.oauthSettings = { tokenEndpointUri: "file:///etc/passwd" })),
      secretsWith({ "oauth-jaas.conf": TEMPLATE }),
    ),
  ).toContain("tokenEndpointUri file:///etc/passwd: only http and https are supported");
  expect(
    errors(
      oauthSpec((c) => (c.type = "kerberos")),
      secretsWith({ "oauth-jaas.conf": TEMPLATE }),
    ),
  ).toContain("cluster authentication kerberos is not supported (plain, oauth)");
});

it("allows a token endpoint only when the allowed-URLs property lists exactly that URL (Kafka 4: none by default)", () => {
  const opts = "-Xmx1g -Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=https://a/token,https://b/token";
  const allowed = systemProperties(opts).get("org.apache.kafka.sasl.oauthbearer.allowed.urls");
  expect(allowed).toBe("https://a/token,https://b/token");
  expect(() => checkAllowedUrl("x", "https://b/token", allowed)).not.toThrow();
  expect(() => checkAllowedUrl("x", " https://b/token", " https://a/token , https://b/token ")).toThrow(); // entries are trimmed, the URL is not
  expect(() => checkAllowedUrl("x", "https://b/token", " https://a/token , https://b/token ")).not.toThrow();
  for (const [url, list] of [
    ["https://b/token/", allowed],
    ["https://B/token", allowed],
    ["https://a/token", undefined],
  ] as const)
    expect(() => checkAllowedUrl("sasl.oauthbearer.token.endpoint.url", url, list)).toThrow(
      `Invalid value ${url} for configuration sasl.oauthbearer.token.endpoint.url: The URL cannot be accessed due to restrictions. Update the system property 'org.apache.kafka.sasl.oauthbearer.allowed.urls' to allow the URL to be accessed.`,
    );
});

it("writes the RFC 7628 client first message as Kafka does: no authzid, the token, then each extension", () => {
  expect(oauthBearerClientFirstMessage("T0K", {}).toString("latin1")).toBe("n,,\u0001auth=Bearer T0K\u0001\u0001");
  expect(oauthBearerClientFirstMessage("T0K", { logicalCluster: "lkc-1" }).toString("latin1")).toBe(
    "n,,\u0001auth=Bearer T0K\u0001logicalCluster=lkc-1\u0001\u0001",
  );
});
