import { validateStackConfig } from "../../../config";
import { issueAt, issuesOf, rawConfig, validPlain, validSecrets } from "./rawConfig";
import { testCa } from "../tls/caBundles";

const { caPem, caKeyPem } = testCa();

function withCa(section: "source" | "destination" | "gateway", field: string, value: unknown, extra = {}) {
  const plain = validPlain();
  plain[section] = { ...(plain[section] as object), [field]: value, ...extra };
  return plain;
}

describe("each TLS leg trusts the system store unless its CA bundle is set", () => {
  it("leaves every leg on the system trust store when no bundle is set", () => {
    const cfg = validateStackConfig(rawConfig(validPlain(), validSecrets()));
    if (cfg.destination.mode !== "existing") throw new Error("unexpected shape");
    expect(cfg.source.caCertificates).toBeUndefined();
    expect(cfg.destination.caCertificates).toBeUndefined();
    expect(cfg.destination.restCaCertificates).toBeUndefined();
    expect(cfg.gateway.routeCaCertificates).toBeUndefined();
  });

  it("carries a PEM bundle for the source, the destination, its REST endpoint and the routes", () => {
    const plain = validPlain();
    plain.source = { ...(plain.source as object), caCertificates: caPem };
    plain.destination = { ...(plain.destination as object), caCertificates: caPem, restCaCertificates: caPem };
    plain.gateway = { ...(plain.gateway as object), routeCaCertificates: caPem };
    const cfg = validateStackConfig(rawConfig(plain, validSecrets()));
    if (cfg.destination.mode !== "existing") throw new Error("unexpected shape");
    expect([
      cfg.source.caCertificates,
      cfg.destination.caCertificates,
      cfg.destination.restCaCertificates,
      cfg.gateway.routeCaCertificates,
    ]).toEqual([caPem, caPem, caPem, caPem]);
  });

  it.each([
    ["source", "caCertificates"],
    ["destination", "caCertificates"],
    ["destination", "restCaCertificates"],
    ["gateway", "routeCaCertificates"],
  ] as const)("refuses %s.%s that is not PEM, naming the key and how to set it", (section, field) => {
    const issue = issueAt(issuesOf(withCa(section, field, "/etc/ssl/ca.pem")), `kafka-cutover:${section}.${field}`);
    expect(issue.problem).toContain("is not PEM text");
    expect(issue.fix).toBe(`pulumi config set --path 'kafka-cutover:${section}.${field}' -- "$(cat ca.pem)"`);
  });

  it("refuses a bundle holding a private key without repeating any of it", () => {
    const issues = issuesOf(withCa("source", "caCertificates", `${caPem}${caKeyPem}`));
    const issue = issueAt(issues, "kafka-cutover:source.caCertificates");
    expect(issue.problem).toContain("holds a private key");
    const keyBody = caKeyPem.split("\n")[1];
    expect(JSON.stringify(issues)).not.toContain(keyBody);
  });

  it("refuses a certificate that does not parse", () => {
    const broken = caPem.replace(/\n[A-Za-z0-9+/]{20}/, "\nAAAAAAAAAAAAAAAAAAAA");
    const issue = issueAt(issuesOf(withCa("source", "caCertificates", broken)), "kafka-cutover:source.caCertificates");
    expect(issue.problem).toMatch(/certificate 1 of 1 does not parse/);
  });

  it("refuses an expired CA, naming its subject and end date", () => {
    const { bundleProblem } = jest.requireActual<typeof import("../../../config/tls")>("../../../config/tls");
    expect(bundleProblem(caPem, new Date())).toBeUndefined();
    expect(bundleProblem(caPem, new Date(Date.now() + 20 * 365 * 86_400_000))).toMatch(
      /certificate 1 of 1 \(CN=test CA\) expired on /,
    );
  });

  it("refuses a bundle on a leg that does not use TLS, where it would protect nothing", () => {
    const src = issueAt(
      issuesOf(withCa("source", "caCertificates", caPem, { securityProtocol: "SASL_PLAINTEXT" })),
      "kafka-cutover:source.caCertificates",
    );
    expect(src.problem).toBe("is set, but the source speaks SASL_PLAINTEXT, so no certificate is checked against it");
    const rest = issueAt(
      issuesOf(withCa("destination", "restCaCertificates", caPem, { restEndpoint: "http://rest.example:8082" })),
      "kafka-cutover:destination.restCaCertificates",
    );
    expect(rest.problem).toContain("is an http:// URL");
    const plain = withCa("gateway", "routeCaCertificates", caPem);
    plain.source = { ...(plain.source as object), securityProtocol: "SASL_PLAINTEXT" };
    const route = issueAt(issuesOf(plain), "kafka-cutover:gateway.routeCaCertificates");
    expect(route.problem).toContain("take the source's protocol (SASL_PLAINTEXT)");
  });
});
