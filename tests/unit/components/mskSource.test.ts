/** sourceBrokers under Pulumi mocks: a bootstrap list passes through; an MSK name is read from AWS. */
import { scramBootstrap, sourceBrokers } from "../../../components";
import { mockCloud, valueOf } from "./mockCloud";

const MSK_ARN = "arn:aws:kafka:us-east-1:444455556666:cluster/orders-prod/6f1e-2";
const host = (id: number, pub = false) =>
  `b-${id}${pub ? "-public" : ""}.ordersprod.x1y2z3.c4.kafka.us-east-1.amazonaws.com`;

describe.each([false, true])("sourceBrokers (preview: %s)", (preview) => {
  it("passes a bootstrap list through without any lookup", async () => {
    const cloud = mockCloud(preview);
    const src = sourceBrokers({
      kind: "bootstrap",
      brokers: [
        { host: "b-1.msk.example", port: 9096 },
        { host: "b-2.msk.example", port: 9096 },
      ],
    });
    expect(await valueOf(src.bootstrap)).toBe("b-1.msk.example:9096,b-2.msk.example:9096");
    expect(await valueOf(src.brokers)).toEqual([
      { host: "b-1.msk.example", port: 9096 },
      { host: "b-2.msk.example", port: 9096 },
    ]);
    expect(cloud.invoked).toEqual([]);
  });

  it("reads an MSK cluster by name: the SASL/SCRAM bootstrap and every broker with its id", async () => {
    const cloud = mockCloud(preview);
    const src = sourceBrokers({ kind: "msk", clusterName: "orders-prod", publicEndpoints: false });
    expect(await valueOf(src.bootstrap)).toBe([2, 1, 3].map((id) => `${host(id)}:9096`).join(","));
    expect(await valueOf(src.brokers)).toEqual([1, 2, 3].map((id) => ({ id, host: host(id), port: 9096 })));
    expect(cloud.invoked).toEqual([
      { token: "aws:msk/getCluster:getCluster", inputs: { clusterName: "orders-prod" } },
      { token: "aws:msk/getBrokerNodes:getBrokerNodes", inputs: { clusterArn: MSK_ARN } },
    ]);
  });

  it("uses the public SASL/SCRAM endpoints when mskPublicEndpoints is set", async () => {
    mockCloud(preview);
    const src = sourceBrokers({ kind: "msk", clusterName: "orders-prod", publicEndpoints: true });
    expect(await valueOf(src.bootstrap)).toBe([1, 2, 3].map((id) => `${host(id, true)}:9196`).join(","));
    expect(await valueOf(src.brokers)).toEqual([1, 2, 3].map((id) => ({ id, host: host(id, true), port: 9196 })));
  });
});

describe("scramBootstrap", () => {
  it("names the key and the fix when the MSK cluster has no SASL/SCRAM listener", () => {
    const none = { bootstrapBrokersSaslScram: "", bootstrapBrokersPublicSaslScram: "" };
    expect(() => scramBootstrap(none, { kind: "msk", clusterName: "orders-prod", publicEndpoints: false })).toThrow(
      "kafka-cutover:source.mskClusterName: MSK cluster orders-prod has no SASL/SCRAM listener (bootstrapBrokersSaslScram is empty); turn on SASL/SCRAM authentication on the cluster, " +
        "or give the brokers directly: pulumi config rm --path 'kafka-cutover:source.mskClusterName' && pulumi config set --path 'kafka-cutover:source.bootstrap' <host:port,…>",
    );
    expect(() =>
      scramBootstrap(
        { ...none, bootstrapBrokersSaslScram: "b-1.x:9096" },
        { kind: "msk", clusterName: "orders-prod", publicEndpoints: true },
      ),
    ).toThrow("pulumi config set --path 'kafka-cutover:source.mskPublicEndpoints' false");
  });
});
