import { Kafka } from "kafkajs";
import {
  endpointsFile,
  kafkajsConfig,
  readEndpoints,
  kafkaPairEndpoints,
  mergeEndpoints,
  resolveStateDir,
  runningBrokers,
  startKafkaPair,
  stopKafkaPair,
  type KafkaPairStatus,
} from "./kafka";
import { runningKubernetesApiDaemon, startKubernetesApiDaemon, stopKubernetesApiDaemon } from "./kubernetes";
import { startClusterLinkDaemon, stopClusterLinkDaemon } from "./clusterlink";
import { startGatewayDaemon, stopGatewayDaemon, gatewayDaemonPid } from "./gateway";
import { ensureLocalCertificates } from "./certificates";
import {
  GATEWAY_OAUTH_CLIENT,
  LINK_USER,
  ensureAppPrincipals,
  ensureLinkPrincipal,
  ensureOAuthPrincipal,
  type AppPrincipal,
} from "./principals";
import { startOAuthDaemon, stopOAuthDaemon } from "./oauth/daemon";
import { reserveRoutePorts } from "./routes";
import { ensureSourceTopics, localStackGateway, localStackGroups, localStackTopics } from "./topics";

export { endpointsFile, resolveStateDir } from "./kafka";

export interface EnvironmentOptions {
  /** Defaults to env KAFKA_CUTOVER_STATE, then local/.state. */
  stateDir?: string;
}

/**
 * One piece of the local environment. Components start in list order and stop in reverse; each writes its
 * own keys into endpoints.json. Later entries (Kubernetes API emulator, cluster-link emulator, Gateway)
 * plug in here.
 */
export interface LocalComponent {
  name: string;
  /** Starts the component (idempotent) and returns human-readable lines describing what runs. */
  start(stateDir: string): Promise<{ alreadyRunning: boolean; summary: string[] }>;
  stop(stateDir: string): Promise<{ summary: string[] }>;
  /** True when something of this component runs for `stateDir`. */
  isRunning(stateDir: string): boolean;
}

function describeKafka(pair: KafkaPairStatus): string[] {
  return [
    `source       ${pair.source.bootstrap}  ${pair.source.securityProtocol}/${pair.source.mechanism}  ` +
      `admin User:${pair.source.admin.username}  controller :${pair.source.ports.controller}  pid ${pair.pids.source}`,
    `destination  ${pair.destination.bootstrap}  ${pair.destination.securityProtocol}/${pair.destination.mechanism}  ` +
      `admin API key ${pair.destination.apiKey} (User:${pair.destination.apiKey})  controller :${pair.destination.ports.controller}  ` +
      `pid ${pair.pids.destination}`,
    `Apache Kafka ${pair.kafkaVersion}`,
  ];
}

/**
 * A real cluster has had consumer groups for years; a fresh one creates __consumer_offsets on the first
 * FindCoordinator, and the first group then waits seconds for it. Asking once here makes the local clusters
 * behave like the ones they stand for from the first test on.
 */
async function createOffsetsTopic(endpoint: KafkaPairStatus["source"] | KafkaPairStatus["destination"]): Promise<void> {
  const admin = new Kafka(kafkajsConfig(endpoint)).admin();
  await admin.connect();
  try {
    await admin.describeGroups(["kafka-cutover-local-warmup"]);
  } finally {
    await admin.disconnect();
  }
}

// Before Kafka: the destination broker's config names this server's JWKS URL.
const oauthServer: LocalComponent = {
  name: "oauth",
  async start(stateDir) {
    const { pid, alreadyRunning, ...s } = await startOAuthDaemon({ stateDir });
    mergeEndpoints(endpointsFile(stateDir), { oauth: s });
    return {
      alreadyRunning,
      summary: [
        `OAuth 2 server ${s.issuer}  token ${s.tokenEndpoint}  JWKS ${s.jwksEndpoint}  ` +
          `aud ${s.audience}  tokens live ${s.lifetimeSeconds} s  pid ${pid}`,
      ],
    };
  },
  async stop(stateDir) {
    const stopped = await stopOAuthDaemon({ stateDir });
    return { summary: [stopped ? "OAuth server stopped" : "OAuth server: not running"] };
  },
  isRunning: () => false,
};

const kafkaPair: LocalComponent = {
  name: "kafka",
  async start(stateDir) {
    const pair = await startKafkaPair({ stateDir });
    await Promise.all([createOffsetsTopic(pair.source), createOffsetsTopic(pair.destination)]);
    return { alreadyRunning: pair.alreadyRunning, summary: describeKafka(pair) };
  },
  async stop(stateDir) {
    const result = await stopKafkaPair({ stateDir });
    return {
      summary: (["source", "destination"] as const).map((name) => {
        const s = result.stopped[name];
        return s.how === "none"
          ? `${name}: not running`
          : `${name}: pid ${s.pid} stopped (${s.how === "term" ? "SIGTERM" : "SIGKILL"})`;
      }),
    };
  },
  isRunning(stateDir) {
    return Object.keys(runningBrokers({ stateDir })).length > 0;
  },
};

const principals: LocalComponent = {
  name: "principals",
  async start(stateDir) {
    const pair = kafkaPairEndpoints({ stateDir });
    const { created } = await ensureLinkPrincipal(stateDir, pair);
    const apps = await ensureAppPrincipals(stateDir, pair, localStackGroups());
    await ensureOAuthPrincipal(stateDir, pair, localStackGroups());
    return {
      alreadyRunning: !created && apps.length === 0,
      summary: [
        `source SCRAM user ${LINK_USER} (the cluster link's principal), read-only ACLs`,
        `per group: source SCRAM user <group>-app and a destination API key, with ACLs on the group's topics`,
        `OAuth client ${GATEWAY_OAUTH_CLIENT} (destination User:${GATEWAY_OAUTH_CLIENT}), with the groups' ACLs`,
      ],
    };
  },
  async stop() {
    return { summary: [] };
  },
  isRunning: () => false,
};

// The app principals' client certificates follow the principals: a migration whose clients use mTLS has them.
const certificates: LocalComponent = {
  name: "certificates",
  async start(stateDir) {
    const apps = (readEndpoints(endpointsFile(stateDir)).apps ?? {}) as Record<string, AppPrincipal>;
    const tls = ensureLocalCertificates(
      stateDir,
      Object.values(apps).map((a) => a.username),
    );
    return {
      alreadyRunning: true,
      summary: [
        `CA ${tls.ca.cert}; Gateway server certificate ${tls.server.cert} (127.0.0.1, localhost)`,
        ...Object.entries(tls.clients).map(([p, c]) => `client certificate of ${p}: ${c.cert} (${c.subject})`),
      ],
    };
  },
  async stop() {
    return { summary: [] };
  },
  isRunning: () => false,
};

const sourceTopics: LocalComponent = {
  name: "topics",
  async start(stateDir) {
    const topics = localStackTopics();
    const created = await ensureSourceTopics(kafkaPairEndpoints({ stateDir }), topics);
    return {
      alreadyRunning: created.length === 0,
      summary: [`source topics of the local stack's groups: ${topics.join(", ")}`],
    };
  },
  async stop() {
    return { summary: [] };
  },
  isRunning: () => false,
};

const kubernetesApi: LocalComponent = {
  name: "kubernetes",
  async start(stateDir) {
    const before = await runningKubernetesApiDaemon({ stateDir });
    const api =
      before ?? (await startKubernetesApiDaemon({ stateDir, namespaces: ["default", localStackGateway().namespace] }));
    mergeEndpoints(endpointsFile(stateDir), { kubernetes: { kubeconfig: api.kubeconfigPath, url: api.url } });
    return {
      alreadyRunning: before !== undefined,
      summary: [`Kubernetes API emulator ${api.url}  kubeconfig ${api.kubeconfigPath}  pid ${api.pid}`],
    };
  },
  async stop(stateDir) {
    const stopped = await stopKubernetesApiDaemon({ stateDir });
    return { summary: [stopped ? "Kubernetes API emulator stopped" : "Kubernetes API emulator: not running"] };
  },
  isRunning: () => false,
};

const gatewayRoutes: LocalComponent = {
  name: "routes",
  async start(stateDir) {
    const routes = await reserveRoutePorts(stateDir);
    return { alreadyRunning: true, summary: Object.entries(routes).map(([name, ep]) => `route ${name}: ${ep}`) };
  },
  async stop() {
    return { summary: [] };
  },
  isRunning: () => false,
};

const clusterLinking: LocalComponent = {
  name: "clusterlink",
  async start(stateDir) {
    const api = await startClusterLinkDaemon({ stateDir });
    mergeEndpoints(endpointsFile(stateDir), { destination: { restEndpoint: api.url, clusterId: api.clusterId } });
    return {
      alreadyRunning: api.alreadyRunning,
      summary: [`Cluster Linking REST v3 emulator ${api.url}  cluster ${api.clusterId}  pid ${api.pid}`],
    };
  },
  async stop(stateDir) {
    const stopped = await stopClusterLinkDaemon({ stateDir });
    return { summary: [stopped ? "Cluster Linking emulator stopped" : "Cluster Linking emulator: not running"] };
  },
  isRunning: () => false,
};

const gateway: LocalComponent = {
  name: "gateway",
  async start(stateDir) {
    const k8s = await startKubernetesApiDaemon({ stateDir, namespaces: ["default", localStackGateway().namespace] });
    const d = await startGatewayDaemon({
      stateDir,
      kubeconfig: k8s.kubeconfigPath,
      namespace: localStackGateway().namespace,
    });
    mergeEndpoints(endpointsFile(stateDir), { gateway: { status: `${d.url}/status` } });
    return {
      alreadyRunning: d.alreadyRunning,
      summary: [`Gateway emulator pid ${d.pid}, status ${d.url}/status, watching Gateway CRs in ${d.namespace}`],
    };
  },
  async stop(stateDir) {
    const r = await stopGatewayDaemon({ stateDir });
    return { summary: [r.how === "none" ? "Gateway emulator: not running" : `Gateway emulator pid ${r.pid} stopped`] };
  },
  isRunning: (stateDir) => gatewayDaemonPid({ stateDir }) !== undefined,
};

export const components: readonly LocalComponent[] = [
  oauthServer,
  kafkaPair,
  principals,
  certificates,
  sourceTopics,
  clusterLinking,
  kubernetesApi,
  gatewayRoutes,
  gateway,
];

export interface ComponentReport {
  name: string;
  alreadyRunning: boolean;
  summary: string[];
  durationMs: number;
}

export interface EnvironmentReport {
  stateDir: string;
  endpointsFile: string;
  components: ComponentReport[];
  /** True when every component was already running (this call started nothing). */
  alreadyRunning: boolean;
}

/** Starts every component (idempotent) and reports what runs. */
export async function startLocalEnvironmentWithReport(opts: EnvironmentOptions = {}): Promise<EnvironmentReport> {
  const stateDir = resolveStateDir(opts.stateDir);
  const reports: ComponentReport[] = [];
  for (const component of components) {
    const started = Date.now();
    const { alreadyRunning, summary } = await component.start(stateDir);
    reports.push({ name: component.name, alreadyRunning, summary, durationMs: Date.now() - started });
  }
  return {
    stateDir,
    endpointsFile: endpointsFile(stateDir),
    components: reports,
    alreadyRunning: reports.every((r) => r.alreadyRunning),
  };
}

/** Starts every component (idempotent); returns the path of endpoints.json. */
export async function startLocalEnvironment(opts: EnvironmentOptions = {}): Promise<string> {
  return (await startLocalEnvironmentWithReport(opts)).endpointsFile;
}

export async function stopLocalEnvironment(
  opts: EnvironmentOptions = {},
): Promise<{ stateDir: string; components: { name: string; summary: string[] }[] }> {
  const stateDir = resolveStateDir(opts.stateDir);
  const out: { name: string; summary: string[] }[] = [];
  // Stop everything even if one component fails, then report the first failure.
  let firstError: unknown;
  for (const component of [...components].reverse()) {
    try {
      out.push({ name: component.name, ...(await component.stop(stateDir)) });
    } catch (err) {
      firstError ??= err;
      out.push({ name: component.name, summary: [`failed to stop: ${(err as Error).message}`] });
    }
  }
  if (firstError !== undefined) throw firstError;
  return { stateDir, components: out };
}
