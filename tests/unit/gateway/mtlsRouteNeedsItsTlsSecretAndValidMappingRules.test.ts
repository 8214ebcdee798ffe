/**
 * The operator serves an mTLS swap route only with what it needs: the client TLS Secret (PEM chain, key and
 * client CA that Node's TLS accepts), valid principal mapping rules, required client certificates, and auth
 * swap. Anything else is an ApplyFailed reason naming the field or Secret.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InMemorySecrets, resolveGatewaySpec, type GatewaySpec, type RouteSpec } from "../../../local/gateway";
import type { KafkaPairEndpoints } from "../../../local/kafka";
import { ensureCertificates } from "../../../local/certificates";
import { CLIENT_TLS, clientTlsSecret, gatewaySpec, swapSecrets } from "../../integration/gateway/helpers/cr";

const endpoints = {
  source: { bootstrap: "127.0.0.1:9092" },
  destination: { bootstrap: "127.0.0.1:9093" },
} as KafkaPairEndpoints;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mtls-resolve-"));
const certs = ensureCertificates(dir, ["demo-app"]);
const read = (file: string): string => fs.readFileSync(file, "utf8");
const material = { cert: read(certs.server.cert), key: read(certs.server.key), ca: read(certs.ca.cert) };

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function mtlsSpec(edit: (route: RouteSpec) => void = () => undefined): GatewaySpec {
  const spec = gatewaySpec(endpoints, [
    { name: "m", port: 30000, domain: "destination", auth: "swap", client: "mtls" },
  ]);
  edit((spec.routes as RouteSpec[])[0]);
  return spec;
}

function secretsWith(tls: ReturnType<typeof clientTlsSecret> | undefined): InMemorySecrets {
  const secrets = new InMemorySecrets();
  for (const s of swapSecrets({ "demo-app": { apiKey: "K", apiSecret: "S" } })) secrets.put(s);
  if (tls) secrets.put(tls);
  return secrets;
}

function errors(spec: GatewaySpec, secrets: InMemorySecrets): string {
  const result = resolveGatewaySpec(spec, secrets);
  if (result.ok) throw new Error("expected the spec to be refused");
  return result.errors.join("\n");
}

it("serves a TLS listener that requires client certificates and maps their subject to a principal", () => {
  const result = resolveGatewaySpec(mtlsSpec(), secretsWith(clientTlsSecret(material)));
  if (!result.ok) throw new Error(result.errors.join("\n"));
  const route = result.routes[0];
  expect(route.tls).toEqual({ ...material, requireClientCertificate: true });
  if (route.auth.mode !== "swap") throw new Error("expected auth swap");
  expect(route.auth.mechanisms).toEqual([]);
  expect(route.auth.certificatePrincipal?.("CN=demo-app,OU=apps,O=kafka-cutover")).toBe("demo-app");
  expect(route.auth.cluster("demo-app")).toEqual({ username: "K", password: "S" });
});

it("refuses a route whose client TLS Secret is missing", () => {
  expect(errors(mtlsSpec(), secretsWith(undefined))).toContain(`secretRef ${CLIENT_TLS} not found`);
});

it("refuses a JKS-only Secret and a key that does not belong to the certificate", () => {
  const jks = { metadata: { name: CLIENT_TLS }, stringData: { "keystore.jks": "x", "jksPassword.txt": "p" } };
  expect(errors(mtlsSpec(), secretsWith(jks))).toMatch(/has no fullchain.pem, privkey.pem, cacerts.pem \(JKS/);
  const otherKey = read(certs.clients["demo-app"].key);
  expect(errors(mtlsSpec(), secretsWith(clientTlsSecret({ ...material, key: otherKey })))).toContain(
    `secret ${CLIENT_TLS} is not usable TLS material`,
  );
});

it("refuses invalid mapping rules, optional client certificates, no TLS Secret at all, and mTLS passthrough", () => {
  const secrets = secretsWith(clientTlsSecret(material));
  const mtls = (r: RouteSpec) =>
    r.security?.client?.authentication?.mtls as { principalMappingRules?: string[]; sslClientAuthentication?: string };
  expect(
    errors(
      mtlsSpec((r) => (mtls(r).principalMappingRules = ["RULE:^CN=(.*)$/$1"])),
      secrets,
    ),
  ).toContain("principalMappingRules: invalid rule `RULE:^CN=(.*)$/$1`");
  expect(
    errors(
      mtlsSpec((r) => (mtls(r).sslClientAuthentication = "requested")),
      secrets,
    ),
  ).toContain("sslClientAuthentication requested is not supported");
  expect(
    errors(
      mtlsSpec((r) => delete r.security?.client?.tls),
      secrets,
    ),
  ).toContain("client.tls.secretRef is required with client authentication mtls");
  expect(
    errors(
      mtlsSpec((r) => r.security && (r.security.auth = "passthrough")),
      secrets,
    ),
  ).toContain("client authentication mtls needs auth: swap");
});
