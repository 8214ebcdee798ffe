/**
 * For a check failure on a property, the Pulumi engine prints that property's whole value ("property X
 * value {…} has a problem"), and a secret inside it as plain text unless it is exactly a stack-config secret:
 * a failure on the cutover's `canary` printed the canary's password. So every provider's check names the
 * property in the reason and no property at all.
 */
import { withoutPropertyValues } from "../../../dynamic/checkFailures";
import { provider as linkProvider } from "../../../dynamic/clusterLink/linkProvider";
import type { ClusterLinkInputs } from "../../../dynamic/clusterLink/linkConfigs";
import type { CutoverOutputs } from "../../../dynamic/cutover/inputs";
import { provider as cutoverProvider } from "../../../dynamic/cutover/provider";
import { inputs } from "../cutover/fakeWorld";

const SECRET = "s3cr3t-KCLEAK-5e1f";

it("names the property in the reason and none in the failure", () => {
  expect(
    withoutPropertyValues([
      { property: "canary", reason: "the canary topic t does not exist on the destination" },
      { property: "", reason: "no property" },
    ]),
  ).toEqual([
    { property: "", reason: "canary: the canary topic t does not exist on the destination" },
    { property: "", reason: "no property" },
  ]);
});

it("the cluster link's check fails on no property, so a wrong secret next to a bad value is never printed", async () => {
  const news = {
    restEndpoint: "not a url",
    clusterId: "lkc-abc123",
    apiKey: "KEY123",
    apiSecret: SECRET,
    linkName: "msk-to-cc",
    sourceClusterId: "7fK2qWc1RkOQ3sXbKq1Z9A",
    sourceBootstrap: "b-1.msk.example:9096",
    securityProtocol: "SASL_SSL",
    mechanism: "SCRAM-SHA-512",
    username: "cutover",
    password: "",
    offsetSyncMs: 5000,
    consumerGroups: [],
    aclSync: false,
  } as unknown as ClusterLinkInputs;
  const failures = (await linkProvider.check!(news, news)).failures ?? [];
  expect(failures.length).toBeGreaterThanOrEqual(2);
  for (const f of failures) {
    expect(f.property).toBe("");
    expect(f.reason).not.toContain(SECRET);
  }
  expect(failures.map((f) => f.reason.split(": ")[0]).sort()).toEqual(["password", "restEndpoint"]);
});

it("the cutover's check fails on no property", async () => {
  const cutOver = inputs();
  const grown = inputs({ topics: { ...cutOver.topics, payments: "payments" } });
  const olds = { ...cutOver, state: "cut-over", timeline: [], fingerprint: "f" } as unknown as CutoverOutputs;
  const failures = (await cutoverProvider.check!(olds, grown)).failures ?? [];
  expect(failures.map((f) => [f.property, f.reason.split(": ")[0]])).toEqual([["", "topics"]]);
}, 30_000);
