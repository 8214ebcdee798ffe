/**
 * The Gateway's `principalMappingRules` are Kafka's `ssl.principal.mapping.rules`: rules tried in order on
 * the certificate subject's RFC 2253 DN, the first that applies naming the principal, and a DN no rule
 * applies to refused.
 */
import { X509Certificate } from "node:crypto";
import { rfc2253Subject } from "../../../local/gateway/auth/certificateSubject";
import {
  mapPrincipal,
  parsePrincipalMappingRules,
  PrincipalMappingError,
} from "../../../local/gateway/auth/principalMapping";

const map = (rules: string[], dn: string): string => mapPrincipal(parsePrincipalMappingRules(rules), dn);

describe("principal mapping rules", () => {
  it("take the CN with the rule our component writes", () => {
    expect(map(["RULE:^CN=([^,]+).*$/$1/"], "CN=demo-app,OU=apps,O=kafka-cutover")).toBe("demo-app");
  });

  it("try the rules of one comma-separated string in order, commas inside patterns included", () => {
    const rules = [
      "RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/, RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/L, DEFAULT",
    ];
    expect(map(rules, "CN=Duke,OU=ServiceUsers,O=Org,C=US")).toBe("Duke");
    expect(map(rules, "CN=Duke,OU=SME,O=mycp,L=Fulton,ST=MD,C=US")).toBe("duke@sme");
    expect(map(rules, "CN=Duke,OU=JavaSoft,O=Sun Microsystems")).toBe("CN=Duke,OU=JavaSoft,O=Sun Microsystems");
  });

  it("apply to a DN only when the pattern matches all of it", () => {
    expect(map(["RULE:CN=([^,]+)/$1/", "DEFAULT"], "CN=a,OU=b")).toBe("CN=a,OU=b");
    expect(map(["RULE:CN=([^,]+)/$1/", "DEFAULT"], "CN=a")).toBe("a");
  });

  it("upper- or lower-case the result with U or L", () => {
    expect(map(["RULE:^CN=([^,]+).*$/$1/U"], "CN=Demo-App,O=x")).toBe("DEMO-APP");
    expect(map(["RULE:^CN=([^,]+).*$/$1/L"], "CN=Demo-App,O=x")).toBe("demo-app");
  });

  it("replace every match, as Java's replaceAll does", () => {
    expect(map(["RULE:.*/x/"], "CN=a")).toBe("xx");
    expect(map(["RULE:^CN=([^,]+),O=(.*)$/$2-$1-$0/"], "CN=a,O=b")).toBe("b-a-CN=a,O=b");
  });

  it("keep references to groups the pattern lacks as text, and take the longest group number that exists", () => {
    expect(map(["RULE:^CN=([^,]+).*$/$1@$2/"], "CN=app,O=x")).toBe("app@$2");
    expect(map(["RULE:^CN=([^,]+).*$/$12/"], "CN=app,O=x")).toBe("app2");
  });

  it("read \\/ as a slash in patterns, and \\x as a literal x in replacements", () => {
    expect(map(["RULE:^CN=([^,]+),O=a\\/b$/$1\\/x/"], "CN=n,O=a/b")).toBe("n/x");
    expect(map(["RULE:^CN=([^,]+)$/\\$1/"], "CN=n")).toBe("$1");
  });

  it("ignore blanks and empty rules; no rules at all means DEFAULT", () => {
    expect(parsePrincipalMappingRules(["  RULE:^CN=([^,]+).*$/$1/ ,  , DEFAULT "])).toEqual([
      { kind: "rule", pattern: "^CN=([^,]+).*$", replacement: "$1", caseFold: "" },
      { kind: "default" },
    ]);
    expect(map([], "CN=a,O=b")).toBe("CN=a,O=b");
  });

  it("refuse a DN that no rule applies to", () => {
    expect(() => map(["RULE:^CN=([^,]+),OU=apps.*$/$1/"], "CN=x,OU=ops")).toThrow(PrincipalMappingError);
    expect(() => map(["RULE:^CN=([^,]+),OU=apps.*$/$1/"], "CN=x,OU=ops")).toThrow(
      "no principal mapping rule applies to CN=x,OU=ops",
    );
  });

  it.each([
    ["a missing closing slash", "RULE:^CN=(.*)$/$1"],
    ["text after the flags", "RULE:^CN=(.*)$/$1/Lx"],
    ["an unknown keyword", "DEFAULTS"],
    ["a pattern that is not a regex", "RULE:^CN=([/$1/"],
  ])("refuse %s when parsed", (_what, rule) => {
    expect(() => parsePrincipalMappingRules([rule])).toThrow(PrincipalMappingError);
  });

  it("refuse a replacement that names a group when the pattern has none", () => {
    expect(() => map(["RULE:^CN=.*$/$1/"], "CN=a")).toThrow("no group 1");
  });
});

describe("certificate subject", () => {
  // openssl req -x509 -subj '/C=US/O=Acme, Inc./OU=apps/CN=demo-app' (certificate order: C first).
  const pem = `-----BEGIN CERTIFICATE-----
MIIB3jCCAYWgAwIBAgIUGiQmDvKgsqYGSJaClI/shdtOONgwCgYIKoZIzj0EAwIw
RDELMAkGA1UEBhMCVVMxEzARBgNVBAoMCkFjbWUsIEluYy4xDTALBgNVBAsMBGFw
cHMxETAPBgNVBAMMCGRlbW8tYXBwMCAXDTI2MTEyNDE4NTAxMloYDzIxMjYxMDMx
MTg1MDEyWjBEMQswCQYDVQQGEwJVUzETMBEGA1UECgwKQWNtZSwgSW5jLjENMAsG
A1UECwwEYXBwczERMA8GA1UEAwwIZGVtby1hcHAwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARiOOuIuBuXzkaH44WvXsIUNGS8bJ0hHR11396qK+XJHrqwwL9qQ7ZG
r6DiCd//PDmlEl0uJHUE69BzXGnCt11eo1MwUTAdBgNVHQ4EFgQUaICLSIVidpzD
nuzhDLWS04+W69IwHwYDVR0jBBgwFoAUaICLSIVidpzDnuzhDLWS04+W69IwDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiBjWzOrJEaiOkSObL1qqGtq
L4RwJd1KmXe057mFw9sz4gIgHpTuKMaDN7lnYNrC9SqdQzYeuRv+1LZVwXWQSN6a
SiQ=
-----END CERTIFICATE-----`;

  it("is the RFC 2253 DN Java prints: most specific RDN first, commas in values escaped", () => {
    const dn = rfc2253Subject(new X509Certificate(pem));
    expect(dn).toBe("CN=demo-app,OU=apps,O=Acme\\, Inc.,C=US");
    expect(map(["RULE:^CN=([^,]+).*$/$1/"], dn)).toBe("demo-app");
  });
});
