/**
 * The Gateway CR the program declares and the cutover applies, for every translation path the Gateway
 * offers: SCRAM, PLAIN or mTLS from clients; a PLAIN API key or OAUTHBEARER to the destination.
 */
import * as pulumi from "@pulumi/pulumi";
import type { GatewayConfig, MigrationGroupConfig } from "../../../config";
import { DEFAULT_TIMEOUTS } from "../../../config";
import {
  DEFAULT_FENCE_ERROR_CODE,
  declaredRoute,
  fenceOf,
  gatewaySpec,
  groupRoute,
  registrationRoute,
  RouteSpec,
  withRoute,
} from "../../../components/gatewaySpec";

const gw = (swap: Partial<GatewayConfig["swap"]> = {}): GatewayConfig => ({
  namespace: "confluent",
  name: "gw",
  kubeconfig: pulumi.secret("k"),
  sourceDomain: "msk",
  destinationDomain: "cc",
  sourceNodeIds: { start: 1, end: 3 },
  destinationNodeIds: { start: 0, end: 17 },
  swap: { clientAuthentication: "scram", clusterAuthentication: "plain", principalMappingRules: [], ...swap },
  scramRegistrationEndpoint: { host: "reg.gw", port: 9599 },
  replicas: 3,
  hotReload: true,
});

const group = (name: string, auth: "passthrough" | "swap", cutover = false): MigrationGroupConfig => ({
  name,
  topics: [`${name}.t`],
  consumerGroups: [],
  endpoint: { host: `${name}.gw`, port: 9092 },
  auth,
  principals: [],
  lagThreshold: 0,
  timeouts: DEFAULT_TIMEOUTS,
  fence: { errorCode: DEFAULT_FENCE_ERROR_CODE },
  cutover,
});

const clusters = {
  source: {
    brokers: [
      { host: "b-1.msk", port: 9096 },
      { host: "b-2.msk", port: 9096 },
    ],
    securityProtocol: "SASL_SSL" as const,
  },
  destination: { brokers: [{ host: "pkc.cc", port: 9092 }], securityProtocol: "SASL_SSL" as const },
};

describe("the Gateway CR", () => {
  it("declares the Gateway's pod count and hot reload from config", () => {
    expect(gatewaySpec(gw(), clusters, [group("a", "passthrough")])).toMatchObject({
      replicas: 3,
      hotReload: { enabled: true },
    });
    expect(gatewaySpec({ ...gw(), replicas: 5, hotReload: false }, clusters, [])).toMatchObject({
      replicas: 5,
      hotReload: { enabled: false },
    });
  });

  it("declares both clusters as streaming domains with their broker id ranges", () => {
    const spec = gatewaySpec(gw(), clusters, [group("a", "passthrough")]);
    expect(spec.streamingDomains).toEqual([
      {
        name: "msk",
        type: "kafka",
        kafkaCluster: {
          bootstrapServers: [{ id: "SOURCE", endpoint: "SASL_SSL://b-1.msk:9096" }],
          nodeIdRanges: [{ name: "msk-brokers", start: 1, end: 3 }],
        },
      },
      {
        name: "cc",
        type: "kafka",
        kafkaCluster: {
          bootstrapServers: [{ id: "DESTINATION", endpoint: "SASL_SSL://pkc.cc:9092" }],
          nodeIdRanges: [{ name: "cc-brokers", start: 0, end: 17 }],
        },
      },
    ]);
    // No swap anywhere: no secret store, no registration route.
    expect(spec.secretStores).toBeUndefined();
    expect(spec.routes.map((r) => r.name)).toEqual(["a"]);
  });

  it("routes each group to the side it is live on; on the source clients always pass through", () => {
    const onCc = (name: string, auth: "passthrough" | "swap") =>
      groupRoute(gw(), group(name, auth, true), "destination");
    const spec = gatewaySpec(
      gw(),
      clusters,
      [group("a", "swap"), group("b", "swap", true), group("c", "passthrough", true)],
      { b: { live: onCc("b", "swap"), recorded: "cut-over" }, c: { live: onCc("c", "passthrough") } },
    );
    expect(spec.routes.map((r) => [r.name, r.streamingDomain.name, r.security.auth])).toEqual([
      ["a", "msk", "passthrough"],
      ["b", "cc", "swap"],
      ["c", "cc", "passthrough"],
      ["scram-registration", "cc", "swap"],
    ]);
    expect(spec.routes.every((r) => r.brokerIdentificationStrategy.type === "port" && r.fence === undefined)).toBe(
      true,
    );
    expect(spec.secretStores).toEqual([
      {
        name: "gw-store",
        provider: {
          type: "File",
          configSecretRef: "gw-file-store-config",
          clientCredentialsRef: "gw-swap-credentials",
        },
      },
    ]);
  });

  it.each([
    [
      "SCRAM in, PLAIN API key out",
      {},
      { type: "scram", scram: { alterScramCredentials: false } },
      { type: "plain", jaasConfigPassThrough: { secretRef: "gw-plain-jaas" } },
    ],
    [
      "PLAIN in, PLAIN API key out",
      { clientAuthentication: "plain" as const },
      { type: "plain" },
      { type: "plain", jaasConfigPassThrough: { secretRef: "gw-plain-jaas" } },
    ],
    [
      "mTLS in, OAUTHBEARER out",
      {
        clientAuthentication: "mtls" as const,
        clusterAuthentication: "oauth" as const,
        tokenEndpointUri: "https://idp/token",
        principalMappingRules: ["RULE:^CN=([^,]+).*$/$1/"],
      },
      {
        type: "mtls",
        mtls: { principalMappingRules: ["RULE:^CN=([^,]+).*$/$1/"], sslClientAuthentication: "required" },
      },
      {
        type: "oauth",
        jaasConfigPassThrough: { secretRef: "gw-oauth-jaas" },
        oauthSettings: { tokenEndpointUri: "https://idp/token" },
      },
    ],
    [
      "SCRAM in, OAUTHBEARER out",
      { clusterAuthentication: "oauth" as const, tokenEndpointUri: "https://idp/token" },
      { type: "scram", scram: { alterScramCredentials: false } },
      {
        type: "oauth",
        jaasConfigPassThrough: { secretRef: "gw-oauth-jaas" },
        oauthSettings: { tokenEndpointUri: "https://idp/token" },
      },
    ],
  ])("translates %s on a swap route after its cutover", (_path, swap, client, cluster) => {
    const route = groupRoute(gw(swap), group("a", "swap"), "destination");
    expect(route.security).toEqual({
      auth: "swap",
      secretStore: "gw-store",
      client: {
        // The mTLS client leg names the Secret with the Gateway's certificate and the clients' CA.
        ...(client.type === "mtls" ? { tls: { secretRef: "gw-client-tls" } } : {}),
        authentication: client,
      },
      cluster: { authentication: cluster },
    });
  });

  it("registers SCRAM credentials through a swap route to the destination that accepts AlterUserScramCredentials", () => {
    const route = registrationRoute(gw())!;
    expect(route).toMatchObject({
      name: "scram-registration",
      endpoint: "reg.gw:9599",
      streamingDomain: { name: "cc" },
    });
    expect(route.security.client).toEqual({
      authentication: { type: "scram", scram: { alterScramCredentials: true } },
    });
  });

  it("changes exactly one route when the cutover replaces it, keeping the others as they are", () => {
    const routes = gatewaySpec(gw(), clusters, [group("a", "swap"), group("b", "passthrough")]).routes;
    const fenced = { ...routes[0], fence: fenceOf() };
    const next = withRoute(routes, fenced);
    expect(next[0]).toEqual(fenced);
    expect(next.slice(1)).toEqual(routes.slice(1));
  });
});

describe("the route Pulumi declares for a group follows the live route, never the cutover flag alone", () => {
  const edited = { ...group("b", "swap", true), endpoint: { host: "b2.gw", port: 9093 } };
  const source = groupRoute(gw(), group("b", "swap"), "source");
  const destination = groupRoute(gw(), group("b", "swap"), "destination");

  it("keeps a fenced live route exactly as it is, on either side: only the cutover moves it", () => {
    for (const live of [
      { ...source, fence: fenceOf("KAFKA_STORAGE_ERROR") },
      { ...destination, fence: fenceOf() },
    ]) {
      expect(declaredRoute(gw(), edited, { live, recorded: "standing-by" })).toEqual(live);
      expect(declaredRoute(gw(), group("b", "swap", false), { live })).toEqual(live);
    }
  });

  it("declares the config's destination route for a route live on the destination, so edits apply", () => {
    const declared = declaredRoute(gw(), edited, { live: destination, recorded: "cut-over" });
    expect(declared).toEqual(groupRoute(gw(), edited, "destination"));
    expect(declared.endpoint).toBe("b2.gw:9093");
    // A failed up after promotion recorded nothing; the config turned back: still never back to the source.
    expect(declaredRoute(gw(), group("b", "swap", false), { live: destination, recorded: "standing-by" })).toEqual(
      destination,
    );
  });

  it("tells the side of a live route on a domain renamed since by its bootstrap server, and refuses to guess", () => {
    const renamed = (r: RouteSpec, name: string): RouteSpec => ({
      ...r,
      streamingDomain: { ...r.streamingDomain, name },
    });
    expect(declaredRoute(gw(), edited, { live: renamed(destination, "cc-old") })).toEqual(
      groupRoute(gw(), edited, "destination"),
    );
    expect(declaredRoute(gw(), edited, { live: renamed(source, "msk-old") })).toEqual(
      groupRoute(gw(), edited, "source"),
    );
    const elsewhere: RouteSpec = { ...source, streamingDomain: { name: "dr", bootstrapServerId: "DR" } };
    expect(() => declaredRoute(gw(), edited, { live: elsewhere, recorded: "cut-over" })).toThrow(
      "route b in the live Gateway CR leads to streaming domain dr (bootstrap server DR), neither msk nor cc: point it at one of them by hand, then run pulumi up again",
    );
  });

  it("declares the config's source route for a route live on the source, even with cutover: true", () => {
    // `pulumi up --target` on the CR alone: the cutover did not run, so the route stays where it is.
    expect(declaredRoute(gw(), edited, { live: source, recorded: "standing-by" })).toEqual(
      groupRoute(gw(), edited, "source"),
    );
    expect(declaredRoute(gw(), edited, { live: source })).toEqual(groupRoute(gw(), edited, "source"));
  });

  it("declares a route the live CR lacks where the cutover recorded it: the source unless it finished", () => {
    expect(declaredRoute(gw(), edited, {})).toEqual(groupRoute(gw(), edited, "source"));
    expect(declaredRoute(gw(), edited, { recorded: "standing-by" })).toEqual(groupRoute(gw(), edited, "source"));
    expect(declaredRoute(gw(), edited, { recorded: "cut-over" })).toEqual(groupRoute(gw(), edited, "destination"));
  });

  it("declares each group from its own evidence and the others' from none (the source)", () => {
    const spec = gatewaySpec(gw(), clusters, [group("a", "swap", true), edited], {
      b: { live: { ...destination, fence: fenceOf() } },
    });
    expect(spec.routes.map((r) => [r.name, r.streamingDomain.name, r.fence !== undefined])).toEqual([
      ["a", "msk", false],
      ["b", "cc", true],
      ["scram-registration", "cc", false],
    ]);
  });
});
