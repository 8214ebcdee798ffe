import { checkLinkInputs, linkConfigs, type ClusterLinkInputs } from "../../../dynamic/clusterLink/linkConfigs";
import { testCa } from "../tls/caBundles";

const { caPem } = testCa();

const inputs = (extra: Partial<ClusterLinkInputs> = {}): ClusterLinkInputs => ({
  restEndpoint: "https://rest.example:443",
  clusterId: "lkc-1",
  apiKey: "k",
  apiSecret: "s",
  linkName: "l",
  sourceClusterId: "src",
  sourceBootstrap: "b-1.msk.example:9096",
  securityProtocol: "SASL_SSL",
  mechanism: "SCRAM-SHA-512",
  username: "u",
  password: "p",
  offsetSyncMs: 5000,
  consumerGroups: [],
  aclSync: false,
  ...extra,
});

describe("the link trusts the source's CA bundle it is given, and only then", () => {
  it("sends no truststore without a bundle: the destination's default trust applies", () => {
    const configs = linkConfigs(inputs());
    expect(configs["ssl.truststore.type"]).toBeUndefined();
    expect(configs["ssl.truststore.certificates"]).toBeUndefined();
  });

  it("sends the bundle as a PEM truststore", () => {
    const configs = linkConfigs(inputs({ sourceCaCertificates: caPem }));
    expect(configs["ssl.truststore.type"]).toBe("PEM");
    expect(configs["ssl.truststore.certificates"]).toBe(caPem);
  });

  it("refuses a bundle on a plaintext link, and one that is not PEM", () => {
    const plaintext = checkLinkInputs({
      ...inputs({ securityProtocol: "SASL_PLAINTEXT", sourceCaCertificates: caPem }),
    });
    expect(plaintext.find((f) => f.property === "sourceCaCertificates")?.reason).toMatch(/does not use TLS/);
    const notPem = checkLinkInputs({ ...inputs({ sourceCaCertificates: "ca.pem" }) });
    expect(notPem.find((f) => f.property === "sourceCaCertificates")?.reason).toMatch(/is not PEM/);
  });
});
