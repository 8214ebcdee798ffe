/**
 * One migration group's world on the shared local environment, built with the product's own pieces: two
 * source topics, a cluster link with their mirrors and offset sync (the link and mirror providers), a
 * Gateway CR of its own with the group's route on the source and the Secrets its swap needs (the Gateway
 * component's spec), and an app principal on both clusters. A cutover of it runs the real provider.
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { Kafka } from "kafkajs";
import { KubernetesClient } from "../../../clients/kubernetes";
import type { Mirror } from "../../../clients/clusterLinkRest";
import {
  GATEWAY_API_VERSION,
  GATEWAY_PLURAL,
  gatewaySecretNames,
  gatewaySpec,
  groupRoute,
  DEFAULT_FENCE_ERROR_CODE,
} from "../../../components/gatewaySpec";
import type { GatewayConfig, MigrationGroupConfig } from "../../../config";
import { provider as linkProvider } from "../../../dynamic/clusterLink/linkProvider";
import { provider as mirrorProvider } from "../../../dynamic/clusterLink/mirrorTopicProvider";
import type { CutoverInputs } from "../../../dynamic/cutover";
import { LiveRoute, type RouteView } from "../../../dynamic/cutover/liveRoute";
import { RunRecords, type RunRecord } from "../../../dynamic/cutover/runRecord";
import {
  ScramVerifierStore,
  parseHostPort,
  scramCredentialFromPassword,
  verifiersSecretName,
} from "../../../local/gateway";
import { createApiKey, createScramUser, kafkajsConfig } from "../../../local/kafka";
import {
  duplicatesAcrossTheSwitch,
  findDuplicates,
  findLost,
  findSplit,
  type Acked,
} from "../../../local/load/checkers";
import { adminLogins, readAll } from "../../../local/load/readAll";
import { startWorkload, type Workload, type WorkloadReport } from "../../../local/load/workload";
import { grantAppAcls } from "../../../local/principals";
import { endpointsPath, uniqueName } from "../helpers";
import { freePortBlock } from "../gateway/helpers/env";
import { SharedEndpoints, cleanUp, linkInputs, mirrorInputs, rest, sharedEndpoints } from "../dynamic/env";
import { type ClusterLinkEmulator, startClusterLinkEmulator } from "../../../local/clusterlink";

/** The namespace the shared environment's Gateway daemon watches (Pulumi.local.yaml's gateway namespace). */
const NAMESPACE = "confluent";

export interface WorldOptions {
  readonly lagThreshold?: number;
  readonly timeouts?: Partial<CutoverInputs["timeouts"]>;
  /**
   * Run the world's link on a Cluster Linking emulator of its own, in this process, so a test can reach its
   * hooks (`world.link`): refuse a mirror action for one topic, stall a mirror.
   */
  readonly ownLinkEmulator?: boolean;
  /**
   * Another group's route in the same Gateway CR, already cut over (a swap route using the world's secret
   * store), as in a Gateway shared by several groups: a broken store then makes every apply fail.
   */
  readonly neighbor?: boolean;
  /** `gateway.hotReload`; false makes every change roll the Gateway's pods (default true). */
  readonly hotReload?: boolean;
  /** Further configs of the world's link (the provider's `configs`), e.g. `topic.config.sync.ms`. */
  readonly linkConfigs?: Readonly<Record<string, string>>;
}

export interface CutoverWorld {
  readonly name: string;
  readonly topics: readonly string[];
  readonly consumerGroup: string;
  /** The group's route, host:port, where its applications connect. */
  readonly route: string;
  readonly app: { readonly username: string; readonly password: string };
  readonly endpoints: SharedEndpoints;
  readonly k8s: KubernetesClient;
  readonly gatewayPath: string;
  /** The provider's inputs for a cutover of this group (`requested: true`). */
  inputs(): CutoverInputs;
  liveRoute(): Promise<RouteView>;
  /** How the Gateway's data plane serves the route now (the last config it accepted), from its status. */
  appliedRoute(): Promise<{ domain: string; fenced: boolean } | undefined>;
  /** The group's last cutover run as the provider recorded it in the Gateway's namespace (runRecord.ts). */
  runRecord(): Promise<RunRecord | undefined>;
  /** Waits until the Gateway has applied the CR's current generation (fails if it rejects it). */
  waitApplied(): Promise<void>;
  mirrors(): Promise<Mirror[]>;
  /** kafkajs producers (idempotent) and a consumer group through the route, as the group's applications. */
  startLoad(ratePerSec?: number): Promise<Workload>;
  /**
   * Where the clients' data lives once it is over (`side`), checked: every acknowledged record there, none
   * twice, the consumer group skipped none, and the clusters never split (the other side holds nothing the
   * clients' side lacks at the same offsets).
   */
  guarantees(report: WorkloadReport, side: "source" | "destination"): Promise<Guarantees>;
  /**
   * Writes 1 KiB records straight to the source (not through the Gateway) as fast as it can until stopped:
   * a writer the link cannot keep up with, or one that bypasses the Gateway.
   */
  writeToSource(topic: string): { written(): Promise<number>; stop(): Promise<number> };
  /**
   * A colleague breaks the secret store: a malformed entry (no separator). Every Secret still exists, so
   * readiness passes, but the Gateway rejects any config that uses the store and keeps serving what it applied
   * last. Resolves to the repair.
   */
  breakSecretStore(): Promise<() => Promise<void>>;
  /** With `ownLinkEmulator`: the emulator serving this world's link. */
  readonly link?: ClusterLinkEmulator;
  cleanUp(): Promise<void>;
}

export interface Guarantees {
  readonly lost: Acked[];
  readonly skipped: Acked[];
  readonly duplicated: number;
  /** Of those, on the destination: copies a producer's retry made across the switch (checkers.ts), and the rest. */
  readonly duplicates: { readonly acrossTheSwitch: string[]; readonly unexplained: string[] };
  readonly split: string[];
}

export async function createWorld(prefix: string, opts: WorldOptions = {}): Promise<CutoverWorld> {
  const shared = sharedEndpoints();
  const own = opts.ownLinkEmulator
    ? await startClusterLinkEmulator({
        clusterId: shared.destination.clusterId,
        destination: shared.destination,
        promoteCheckMs: 100,
      })
    : undefined;
  const e: SharedEndpoints = own
    ? { ...shared, destination: { ...shared.destination, restEndpoint: own.url } }
    : shared;
  const stateDir = process.env.KAFKA_CUTOVER_STATE ?? endpointsPath().replace(/\/endpoints\.json$/, "");
  const name = uniqueName(prefix);
  const topics = [`${name}.a`, `${name}.b`];
  const consumerGroup = `${name}-consumers`;

  // The app, as it exists before a migration: a SCRAM user on the source, an API key on the destination.
  const app = await createScramUser(`${name}-app`, undefined, { stateDir });
  const key = await createApiKey({ stateDir });
  const group = { name, topics, consumerGroups: [consumerGroup] };
  await grantAppAcls(e, "source", `User:${app.username}`, group);
  await grantAppAcls(e, "destination", `User:${key.key}`, group);

  const admin = new Kafka(kafkajsConfig(e.source)).admin();
  await admin.connect();
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })) });
  await admin.disconnect();

  await linkProvider.create?.(
    linkInputs(e, name, {
      consumerGroups: [consumerGroup],
      offsetSyncMs: 500,
      ...(opts.linkConfigs ? { configs: opts.linkConfigs } : {}),
    }),
  );
  for (const t of topics) await mirrorProvider.create?.(mirrorInputs(e, name, t));

  const port = await freePortBlock(2);
  const kubeconfig = fs.readFileSync(requireKubeconfig(e), "utf8");
  const gw: GatewayConfig = {
    namespace: NAMESPACE,
    name,
    kubeconfig: pulumi.output(kubeconfig),
    sourceDomain: "msk",
    destinationDomain: "confluent-cloud",
    sourceNodeIds: { start: 1, end: 1 },
    destinationNodeIds: { start: 1, end: 1 },
    swap: { clientAuthentication: "scram", clusterAuthentication: "plain", principalMappingRules: [] },
    replicas: 3,
    hotReload: opts.hotReload ?? true,
  };
  const groupConfig = {
    name,
    topics,
    consumerGroups: [consumerGroup],
    auth: "swap",
    endpoint: { host: "127.0.0.1", port },
    cutover: false,
  } as unknown as MigrationGroupConfig; // only the fields the route functions read
  const neighbor = opts.neighbor
    ? ({
        ...groupConfig,
        name: `${name}-next`,
        topics: [`${name}.next`],
        endpoint: { host: "127.0.0.1", port: await freePortBlock(2) },
        cutover: true,
      } as MigrationGroupConfig)
    : undefined;
  const spec = gatewaySpec(
    gw,
    {
      source: { brokers: [parseHostPort(e.source.bootstrap)], securityProtocol: "SASL_PLAINTEXT" },
      destination: { brokers: [parseHostPort(e.destination.bootstrap)], securityProtocol: "SASL_PLAINTEXT" },
    },
    neighbor ? [groupConfig, neighbor] : [groupConfig],
    // The neighbor's cutover finished earlier: its route is on the destination.
    neighbor ? { [neighbor.name]: { recorded: "cut-over" } } : {},
  );
  // The registration route needs an endpoint of its own; this world registers its app's verifier directly.
  spec.routes = spec.routes.filter((r) => r.name === name || r.name === neighbor?.name);

  const k8s = new KubernetesClient({ kubeconfig });
  const names = gatewaySecretNames(name);
  const secret = (secretName: string, stringData: Record<string, string>) =>
    k8s.apply(
      `/api/v1/namespaces/${NAMESPACE}/secrets/${secretName}`,
      { apiVersion: "v1", kind: "Secret", metadata: { name: secretName, namespace: NAMESPACE }, stringData },
      "pulumi-kubernetes",
    );
  await secret(names.storeConfig, { separator: "/" });
  await secret(names.swapCredentials, { [app.username]: `${key.key}/${key.secret}` });
  await secret(names.plainJaas, {
    "plain-jaas.conf": 'org.apache.kafka.common.security.plain.PlainLoginModule required username="%s" password="%s";',
  });
  const verifiers = ScramVerifierStore.encode(
    verifiersSecretName(names.swapCredentials),
    new Map([
      [
        app.username,
        new Map([["SCRAM-SHA-512", scramCredentialFromPassword(app.password, 4096, undefined, "SCRAM-SHA-512")]]),
      ],
    ]),
  );
  await k8s.apply(
    `/api/v1/namespaces/${NAMESPACE}/secrets/${verifiers.metadata.name}`,
    { apiVersion: "v1", kind: "Secret", ...verifiers, metadata: { ...verifiers.metadata, namespace: NAMESPACE } },
    "gateway",
  );
  const gatewayPath = `/apis/${GATEWAY_API_VERSION}/namespaces/${NAMESPACE}/${GATEWAY_PLURAL}/${name}`;
  const applied = await k8s.apply(
    gatewayPath,
    { apiVersion: GATEWAY_API_VERSION, kind: "Gateway", metadata: { name, namespace: NAMESPACE }, spec },
    "pulumi-kubernetes",
  );
  const live = new LiveRoute(k8s, NAMESPACE, name, name);
  await live.waitApplied(applied.metadata.generation ?? 1, Date.now() + 30_000, () => false);

  const destinationAccess = {
    bootstrap: e.destination.bootstrap,
    securityProtocol: "SASL_PLAINTEXT",
    mechanism: "PLAIN",
    username: e.destination.apiKey,
    password: e.destination.apiSecret,
  };
  const route = `127.0.0.1:${port}`;
  return {
    name,
    topics,
    consumerGroup,
    route,
    app,
    endpoints: e,
    k8s,
    gatewayPath,
    inputs: () => ({
      group: name,
      requested: true,
      resourceUrn: `urn:pulumi:test::kafka-cutover::kafka-cutover:index:MigrationGroup$pulumi-nodejs:dynamic/kafka-cutover:GroupCutover::${name}-cutover`,
      topics: Object.fromEntries(topics.map((t) => [t, t])),
      consumerGroups: [consumerGroup],
      lagThreshold: opts.lagThreshold ?? 100,
      timeouts: {
        readinessMs: 30_000,
        fenceMs: 15_000,
        promoteMs: 30_000,
        switchMs: 15_000,
        fenceVerifyMs: 500,
        ...opts.timeouts,
      },
      fence: { errorCode: DEFAULT_FENCE_ERROR_CODE },
      link: {
        name,
        restEndpoint: e.destination.restEndpoint,
        clusterId: e.destination.clusterId,
        apiKey: e.destination.apiKey,
        apiSecret: e.destination.apiSecret,
      },
      source: {
        bootstrap: e.source.bootstrap,
        securityProtocol: "SASL_PLAINTEXT",
        mechanism: "SCRAM-SHA-512",
        username: e.source.admin.username,
        password: e.source.admin.password,
      },
      destination: destinationAccess,
      gateway: {
        kubeconfig,
        namespace: NAMESPACE,
        name,
        sourceRoute: groupRoute(gw, groupConfig, "source"),
        destinationRoute: groupRoute(gw, groupConfig, "destination"),
        requiredSecrets: [names.storeConfig, names.swapCredentials, names.plainJaas],
        hotReload: opts.hotReload ?? true,
      },
    }),
    async liveRoute() {
      const r = await live.read();
      if (!r) throw new Error(`the Gateway ${name} has no route ${name}`);
      return r.view;
    },
    async appliedRoute() {
      const url = (e as SharedEndpoints & { gateway?: { status?: string } }).gateway?.status;
      if (!url) throw new Error("endpoints.json has no gateway.status: restart the environment (npm run local:up)");
      const status = (await (await fetch(url)).json()) as {
        routes: Record<string, { domain: string; fenced: boolean } | undefined>;
      };
      const served = status.routes[name];
      return served && { domain: served.domain, fenced: served.fenced };
    },
    runRecord: () => new RunRecords(k8s, NAMESPACE, name).read(),
    async waitApplied() {
      const r = await live.read();
      await live.waitApplied(r?.view.generation ?? 0, Date.now() + 30_000, () => false);
    },
    mirrors: () => rest(e).listMirrors(name),
    startLoad: async (ratePerSec = 200) => {
      const w = await startWorkload({
        bootstrap: route,
        username: app.username,
        password: app.password,
        mechanism: "scram-sha-512",
        topics,
        consumerGroup,
        ratePerSec,
      });
      await w.ready;
      return w;
    },
    async guarantees(report, side) {
      const logins = adminLogins(e);
      const [onSource, onDestination] = await Promise.all([
        readAll(logins.source, topics),
        readAll(logins.destination, topics),
      ]);
      const where = side === "destination" ? onDestination : onSource;
      const consumed = new Set(report.consumed.map((c) => `${c.topic}/${c.producer}/${c.seq}`));
      return {
        lost: findLost(report.acked, where),
        skipped: report.acked.filter((a) => !consumed.has(`${a.topic}/${a.producer}/${a.seq}`)),
        duplicated: findDuplicates(where).length,
        duplicates:
          side === "destination"
            ? duplicatesAcrossTheSwitch(onSource, onDestination)
            : { acrossTheSwitch: [], unexplained: findDuplicates(where).map((d) => d.key) },
        // Cut over: the destination continues the source's log. Rolled back: the mirror only ever copied the source.
        split: side === "destination" ? findSplit(onSource, onDestination) : findSplit(onDestination, onSource),
      };
    },
    writeToSource(topic) {
      let stopping = false;
      let written = 0;
      const writing = (async () => {
        const producer = new Kafka(kafkajsConfig(e.source)).producer();
        await producer.connect();
        const value = JSON.stringify({ padding: "x".repeat(1_000) }); // not a workload record: readAll skips it
        // Small batches, one every 20 ms: a writer that never pauses long, without flooding the link.
        while (!stopping) {
          await producer.send({ topic, messages: Array.from({ length: 20 }, () => ({ value })) });
          written += 20;
          await new Promise((r) => setTimeout(r, 20));
        }
        await producer.disconnect();
      })();
      return {
        written: async () => written,
        async stop() {
          stopping = true;
          await writing;
          return written;
        },
      };
    },
    async breakSecretStore() {
      const store = `/api/v1/namespaces/${NAMESPACE}/secrets/${names.swapCredentials}`;
      const saved = ((await k8s.get(store)) as { data?: Record<string, string> } | undefined)?.data ?? {};
      const secret = (data: Record<string, string>) => ({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: names.swapCredentials, namespace: NAMESPACE },
        data,
      });
      await k8s.apply(store, secret({ ...saved, "new-app": Buffer.from("only-a-key").toString("base64") }), "team");
      return async () => {
        await k8s.apply(store, secret(saved), "team");
      };
    },
    ...(own ? { link: own } : {}),
    async cleanUp() {
      await k8s.request("DELETE", gatewayPath, { allow404: true }).catch(() => undefined);
      await cleanUp(e, name);
      await own?.stop();
    },
  };
}

function requireKubeconfig(e: SharedEndpoints): string {
  const path = (e as SharedEndpoints & { kubernetes?: { kubeconfig?: string } }).kubernetes?.kubeconfig;
  if (!path) throw new Error("endpoints.json has no kubernetes.kubeconfig: restart the environment (npm run local:up)");
  return path;
}

/**
 * After a cutover finished: lets the applications run on for a moment, stops them, and checks that they kept
 * writing after the finish and that everything they were acknowledged is on the destination once, nothing
 * skipped by their consumer group and nothing split between the clusters.
 */
/**
 * `retriesAcrossTheSwitch: "allowed"`: where Gateway pods go away with requests in flight (a pod roll), a record
 * the source acknowledged into a dying connection is sent again and lands on the destination too (at least once,
 * see duplicatesAcrossTheSwitch). Nothing else may be duplicated, and nothing may be lost, skipped or split.
 */
export async function expectLoadCrossedToTheDestination(
  world: CutoverWorld,
  load: Workload,
  opts: { retriesAcrossTheSwitch?: "allowed" } = {},
): Promise<void> {
  const finishedAt = Date.now();
  await new Promise((r) => setTimeout(r, 2_000));
  const report = await load.stop();
  expect(report.acked.filter((a) => a.ackedAt > finishedAt).length).toBeGreaterThan(0);
  const g = await world.guarantees(report, "destination");
  expect([g.lost, g.skipped, g.split, g.duplicates.unexplained]).toEqual([[], [], [], []]);
  if (opts.retriesAcrossTheSwitch !== "allowed") expect(g.duplicates.acrossTheSwitch).toEqual([]);
}
