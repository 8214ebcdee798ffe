/**
 * The preflight, run by `check` in every preview and up: everything that would make the cutover refuse,
 * each with the property it concerns and what to do. Read-only: it changes nothing anywhere.
 */
import type { Admin } from "kafkajs";
import type { Mirror } from "../../clients/clusterLinkRest";
import { KubernetesClient } from "../../clients/kubernetes";
import { KAFKA_LEGS, tlsFailure } from "../../clients/tls";
import { linkRestClient, type CutoverInputs, type KafkaAccess } from "./inputs";
import { canaryGroupId } from "./canary";
import { fenceAdvice } from "./fenceAdvice";
import { describeLag, lagFromBothClusters, type TopicLag } from "./lag";
import { RunRecords } from "./runRecord";
import {
  findTransactionalProducers,
  isActive,
  transactionalProducersBlocker,
  transactionalProducersNote,
} from "./transactionalProducers";
import { GatewayLook, lookAtGateway } from "./gatewayPods";
import {
  groupAccessBlockers,
  groupsWithOffsetsOn,
  unlistedGroupsBlocker,
  unreadableGroupsNote,
} from "./consumerGroupChecks";
import { groupProtocolNotes, groupTypes } from "./groupProtocols";
import { LiveRoute, RouteControl } from "./liveRoute";
import { lostRecordsReason, promotedBehindSource } from "./divergence";
import { connectAdmin, kafkaFor } from "./offsets";
import { topicLag } from "./sequence";

export interface Blocker {
  readonly property: string;
  readonly reason: string;
}

export interface PreflightReport {
  readonly blockers: Blocker[];
  /** What an operator wants to see even when nothing blocks: lag per topic, where the route leads. */
  readonly notes: string[];
}

interface GatewayStatusView {
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export async function preflight(inputs: CutoverInputs): Promise<PreflightReport> {
  const blockers: Blocker[] = [];
  const notes: string[] = [];
  if (await alreadyCutOver(inputs))
    return {
      blockers,
      notes: [`group ${inputs.group} is already cut over: its route leads to the destination, unfenced`],
    };
  const block = (property: string, reason: string) => blockers.push({ property, reason });
  await Promise.all([
    checkCluster("source", inputs.source, block, async (admin) => {
      await Promise.all([
        checkGroupProtocols(inputs, admin, notes),
        checkUnlistedGroups(inputs, admin, block, notes),
        checkGroupAccess(inputs, "source", admin, block),
      ]);
    }),
    // One connection to the destination serves its own check, the canary topic's and the groups' access.
    checkCluster("destination", inputs.destination, block, async (admin) => {
      await Promise.all([
        checkCanaryTopic(inputs, admin, block, notes),
        checkGroupAccess(inputs, "destination", admin, block),
      ]);
    }),
    checkLink(inputs, block, notes),
    checkGateway(inputs, block, notes),
    checkRecordsPromotedMirrorsLack(inputs, block),
    noteLastRun(inputs, notes),
    checkTransactionalProducers(inputs, block, notes),
  ]);
  if (!inputs.canary)
    notes.push("no canary is configured: after the switch only the Gateway's status says the route works");
  notes.push(...fenceAdvice(inputs.fence.errorCode));
  const renamed = renamedMirrorsBlocker(inputs.group, inputs.topics);
  if (renamed) block("topics", renamed);
  checkAuthPath(inputs, block);
  return { blockers, notes };
}

async function alreadyCutOver(inputs: CutoverInputs): Promise<boolean> {
  try {
    const k8s = new KubernetesClient({ kubeconfig: inputs.gateway.kubeconfig, timeoutMs: 10_000 });
    return await routeServesTheDestination(
      new LiveRoute(k8s, inputs.gateway.namespace, inputs.gateway.name, inputs.group),
      inputs.gateway.destinationRoute.streamingDomain.name,
    );
  } catch {
    return false; // the full preflight below reports why the Gateway cannot be read
  }
}

/**
 * The route leads to the destination, unfenced, in the spec AND in what the pods serve: a switch the Gateway
 * rejected leaves the spec on the destination while clients are still fenced.
 */
export async function routeServesTheDestination(route: RouteControl, destinationDomain: string): Promise<boolean> {
  const live = await route.read();
  if (!live || live.view.fenced || live.view.domain !== destinationDomain) return false;
  return (await route.served(live.view)).settled;
}

/** The cluster answers and takes the login; then `alsoCheck` runs on the same connection. */
async function checkCluster(
  property: "source" | "destination",
  access: KafkaAccess,
  block: (p: string, r: string) => void,
  alsoCheck?: (admin: Admin) => Promise<void>,
): Promise<void> {
  let admin: Admin | undefined;
  try {
    admin = await connectAdmin(access, `kafka-cutover-preflight-${property}`);
    await admin.describeCluster();
  } catch (e) {
    await admin?.disconnect().catch(() => undefined);
    block(
      property,
      tlsFailure(KAFKA_LEGS[property], e) ??
        `cannot reach or authenticate to ${access.bootstrap} as ${access.username} (${access.mechanism}): ${(e as Error).message}; check the bootstrap, network path and credentials of kafka-cutover:${property}`,
    );
    return;
  }
  try {
    await alsoCheck?.(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function checkLink(inputs: CutoverInputs, block: (p: string, r: string) => void, notes: string[]): Promise<void> {
  const rest = linkRestClient(inputs);
  let link;
  try {
    link = await rest.findLink(inputs.link.name);
  } catch (e) {
    block("link", `the Cluster Linking API at ${inputs.link.restEndpoint} answered: ${(e as Error).message}`);
    return;
  }
  if (!link) {
    block(
      "link",
      `cluster link ${inputs.link.name} does not exist on ${inputs.link.clusterId}; it is created by this stack: run pulumi up with cutover: false first`,
    );
    return;
  }
  if (link.link_state !== "ACTIVE" || (link.link_error && link.link_error !== "NO_ERROR")) {
    block(
      "link",
      `cluster link ${inputs.link.name} is ${link.link_state}${link.link_error && link.link_error !== "NO_ERROR" ? ` (${link.link_error}: ${link.link_error_message ?? ""})` : ""}; fix the link before cutting over`,
    );
  }
  const configs = new Map((await rest.getLinkConfigs(inputs.link.name)).map((c) => [c.name, c.value ?? ""]));
  if (configs.get("consumer.offset.sync.enable") !== "true") {
    block(
      "consumerGroups",
      `consumer offset sync is off on link ${inputs.link.name}: consumers would restart from scratch on the destination; enable consumer.offset.sync.enable`,
    );
  } else {
    const uncovered = inputs.consumerGroups.filter(
      (g) => !groupFilterCovers(configs.get("consumer.offset.group.filters") ?? "", g),
    );
    if (uncovered.length > 0)
      block(
        "consumerGroups",
        `the link's consumer.offset.group.filters do not include ${uncovered.join(", ")}: their offsets would not move`,
      );
  }
  const mirrors = new Map((await rest.listMirrors(inputs.link.name)).map((m) => [m.mirror_topic_name, m] as const));
  const missing: string[] = [];
  const inactive: Mirror[] = [];
  const healthy: MirrorState[] = [];
  const active = Object.fromEntries(
    Object.entries(inputs.topics).filter(([, mirror]) => mirrors.get(mirror)?.mirror_status === "ACTIVE"),
  );
  // The same lag readiness will wait on, from both clusters; the link's own figures only if they cannot be read.
  const lags = new Map((await bothClustersLag(inputs, active)).map((l) => [l.topic, l] as const));
  for (const [source, mirror] of Object.entries(inputs.topics)) {
    const m = mirrors.get(mirror);
    if (!m) missing.push(source === mirror ? source : `${source} (as ${mirror})`);
    else if (m.mirror_status !== "ACTIVE" && m.mirror_status !== "STOPPED") inactive.push(m);
    else healthy.push({ topic: mirror, status: m.mirror_status, lag: lags.get(mirror)?.lag ?? topicLag(m) });
  }
  const short = [...lags.values()].filter((l) => l.missingPartitions.length > 0);
  if (short.length > 0)
    block(
      "topics",
      `mirrors with fewer partitions than their source topics: ${short.map(describeLag).join(", ")}; their records in those partitions are on no mirror. Cluster Linking adds the partitions a source topic gains to its mirror on its own, shortly: check the link's state and errors, and preview again`,
    );
  notes.push(...mirrorNotes(healthy, inputs.lagThreshold, inputs.timeouts.readinessMs));
  if (missing.length > 0) block("topics", `not mirrored by link ${inputs.link.name}: ${missing.join(", ")}`);
  if (inactive.length > 0)
    block(
      "topics",
      `mirror topics not ACTIVE: ${inactive.map((m) => `${m.mirror_topic_name} is ${m.mirror_status}${m.mirror_topic_error ? ` (${m.mirror_topic_error})` : ""}`).join(", ")}`,
    );
}

/** lag.ts's figures for these mirrors, or none when a cluster cannot be reached (checkCluster says so). */
async function bothClustersLag(inputs: CutoverInputs, topics: Readonly<Record<string, string>>): Promise<TopicLag[]> {
  if (Object.keys(topics).length === 0) return [];
  const admins: Admin[] = [];
  try {
    admins.push(await connectAdmin(inputs.source, "kafka-cutover-preflight-lag-source"));
    admins.push(await connectAdmin(inputs.destination, "kafka-cutover-preflight-lag-destination"));
    return await lagFromBothClusters(admins[0], admins[1], topics);
  } catch {
    return [];
  } finally {
    await Promise.allSettled(admins.map((a) => a.disconnect()));
  }
}

export interface MirrorState {
  readonly topic: string;
  readonly status: string;
  readonly lag: number;
}

/** Up to this many mirrors get a line each; beyond it only those over the threshold do, and one line sums up. */
const MIRRORS_LISTED = 10;

/** What the preview says about mirrors that block nothing: each one for a small group, a summary for a large one. */
export function mirrorNotes(mirrors: readonly MirrorState[], lagThreshold: number, readinessMs: number): string[] {
  const over = (m: MirrorState) => m.lag > lagThreshold;
  const line = (m: MirrorState) =>
    `${m.topic}: ${m.status}, lag ${m.lag}${over(m) ? ` (over the threshold ${lagThreshold}: readiness waits up to ${readinessMs} ms for it to drain)` : ""}`;
  if (mirrors.length <= MIRRORS_LISTED) return mirrors.map(line);
  const total = mirrors.reduce((n, m) => n + m.lag, 0);
  const largest = mirrors.reduce((a, b) => (b.lag > a.lag ? b : a));
  const stopped = mirrors.filter((m) => m.status === "STOPPED").length;
  return [
    `${mirrors.length} mirror topics: ${mirrors.length - stopped} ACTIVE${stopped ? `, ${stopped} STOPPED` : ""}, total lag ${total}, largest ${largest.topic} (${largest.lag})`,
    ...mirrors.filter(over).map(line),
  ];
}

/** Whether `consumer.offset.group.filters` (JSON) includes `group` and no EXCLUDE filter removes it. */
export function groupFilterCovers(filtersJson: string, group: string): boolean {
  let filters: { name: string; patternType?: string; filterType?: string }[] = [];
  try {
    filters = (JSON.parse(filtersJson) as { groupFilters?: typeof filters }).groupFilters ?? [];
  } catch {
    return false;
  }
  const matches = (f: (typeof filters)[number]) =>
    (f.patternType ?? "LITERAL") === "PREFIXED" ? group.startsWith(f.name) : f.name === "*" || f.name === group;
  const included = filters.some((f) => (f.filterType ?? "INCLUDE") === "INCLUDE" && matches(f));
  const excluded = filters.some((f) => f.filterType === "EXCLUDE" && matches(f));
  return included && !excluded;
}

async function checkGateway(
  inputs: CutoverInputs,
  block: (p: string, r: string) => void,
  notes: string[],
): Promise<void> {
  const gw = inputs.gateway;
  let k8s: KubernetesClient;
  try {
    k8s = new KubernetesClient({ kubeconfig: gw.kubeconfig, timeoutMs: 10_000 });
  } catch (e) {
    block("gateway", `kafka-cutover:kubeconfig: ${(e as Error).message}`);
    return;
  }
  try {
    for (const verb of ["get", "patch"]) {
      const r = await k8s.canI({
        verb,
        group: "platform.confluent.io",
        resource: "gateways",
        namespace: gw.namespace,
        name: gw.name,
      });
      if (!r.allowed)
        block(
          "gateway",
          `the kubeconfig's identity may not ${verb} gateways.platform.confluent.io in ${gw.namespace}${r.reason ? ` (${r.reason})` : ""}; grant it with a Role`,
        );
    }
    for (const [verb, resource, subresource] of [
      ["list", "pods", undefined],
      ["get", "pods", "proxy"],
      ["get", "deployments", undefined],
    ] as const) {
      const r = await k8s.canI({
        verb,
        group: resource === "deployments" ? "apps" : "",
        resource,
        namespace: gw.namespace,
        ...(subresource ? { subresource } : {}),
      });
      if (!r.allowed)
        block(
          "gateway",
          `the kubeconfig's identity may not ${verb} ${resource}${subresource ? `/${subresource}` : ""} in ${gw.namespace}${r.reason ? ` (${r.reason})` : ""}; the cutover asks every Gateway pod what it serves: grant it with a Role`,
        );
    }
    const route = new LiveRoute(k8s, gw.namespace, gw.name, inputs.group);
    const live = await route.read();
    if (!live) {
      block(
        "gateway",
        `the Gateway ${gw.namespace}/${gw.name} or its route ${inputs.group} does not exist yet; deploy with cutover: false first, so the clients move onto the route, then cut over`,
      );
      return;
    }
    const domains = new Set(((live.cr.spec?.streamingDomains ?? []) as { name: string }[]).map((d) => d.name));
    for (const [side, r] of [
      ["source", gw.sourceRoute],
      ["destination", gw.destinationRoute],
    ] as const) {
      if (!domains.has(r.streamingDomain.name))
        block(
          "gateway",
          `the Gateway declares no streaming domain ${r.streamingDomain.name} (the ${side}) for the route to lead to`,
        );
    }
    const rejected = (live.cr as GatewayStatusView).status?.conditions?.find(
      (c) => c.status === "False" && /Failed$/.test(c.reason ?? ""),
    );
    if (rejected)
      block(
        "gateway",
        `the Gateway reports its current config rejected (${rejected.reason}: ${rejected.message ?? ""}); fix it before cutting over`,
      );
    const look = await lookAtGateway(k8s, gw.namespace, gw.name);
    if (look) {
      const pods = gatewayPodsReport(look, gw.hotReload);
      notes.push(...pods.notes);
      for (const b of pods.blockers) block("gateway", b);
    }
    for (const name of await route.missingSecrets(gw.requiredSecrets))
      block("gateway", `Secret ${gw.namespace}/${name}, which the route needs after the switch, does not exist`);
    notes.push(
      `route ${inputs.group} now leads to ${live.view.domain}${live.view.fenced ? " and is FENCED (a previous cutover stopped part-way; up resumes or rolls back)" : ""}`,
    );
  } catch (e) {
    block("gateway", `the Kubernetes API answered: ${(e as Error).message}`);
  }
}

/**
 * What the preview says about the Gateway's pods: how many are Ready, whether they agree on one configId,
 * which terminate; no Ready pod blocks (nothing could confirm a fence). With hot reload off, every change
 * rolls the pods, and the time clients are held grows by the old pods' drain.
 */
export function gatewayPodsReport(
  look: GatewayLook,
  hotReloadInConfig: boolean,
): { notes: string[]; blockers: string[] } {
  const notes: string[] = [];
  const blockers: string[] = [];
  const ready = look.pods.filter((p) => p.ready && !p.terminating);
  const terminating = look.pods.filter((p) => p.terminating).map((p) => p.name);
  if (ready.length === 0)
    blockers.push(
      `the Gateway has no Ready pod (${look.pods.length} listed${terminating.length ? `, ${terminating.length} terminating` : ""}): no fence or switch could be confirmed; fix the Gateway's Deployment first`,
    );
  const served = new Map<string, string[]>();
  const unreachable: string[] = [];
  for (const p of ready) {
    if (p.serves && "configId" in p.serves) {
      const id = p.serves.configId ?? "no configId";
      served.set(id, [...(served.get(id) ?? []), p.name]);
    } else if (p.serves) unreachable.push(`${p.name} (${p.serves.unreachable})`);
  }
  const agreement =
    served.size === 1
      ? `all on ${[...served.keys()][0]}`
      : served.size > 1
        ? `they disagree (a reload or rollout is under way): ${[...served].map(([id, pods]) => `${pods.join(", ")} on ${id}`).join("; ")}`
        : "none answered";
  notes.push(
    `Gateway pods: ${ready.length} Ready of ${look.pods.length}, ${agreement}${unreachable.length ? `; unreachable through the pods proxy: ${unreachable.join(", ")} (a fence waits for them until its deadline)` : ""}${terminating.length ? `; terminating, still serving their open connections: ${terminating.join(", ")}` : ""}`,
  );
  if (look.hotReload === false || !hotReloadInConfig)
    notes.push(
      "hot reload is off: each fence and switch rolls the Gateway's pods, so clients are held at least until the old pods have drained (≈30–40 s) for each of them",
    );
  return { notes, blockers };
}

/**
 * Consumer groups on the KIP-848 consumer protocol lose their consumers at the switch (groupProtocols.ts): the
 * preview names them before anything changes. A note, not a blocker: offsets are right, and a restart heals.
 */
async function checkGroupProtocols(inputs: CutoverInputs, source: Admin, notes: string[]): Promise<void> {
  if (inputs.consumerGroups.length === 0) return;
  try {
    notes.push(...groupProtocolNotes(await groupTypes(source, inputs.consumerGroups)));
  } catch (e) {
    notes.push(
      `could not tell which group protocol ${inputs.consumerGroups.join(", ")} use on the source (${(e as Error).message}): any consumer on group.protocol=consumer (KIP-848) will fail at the switch with GroupIdNotFoundException and need its application restarted`,
    );
  }
}

/**
 * Every consumer group with committed offsets on the group's source topics must be listed: the link syncs only
 * the listed ones, and any other restarts on the destination from auto.offset.reset (consumerGroupChecks.ts).
 */
async function checkUnlistedGroups(
  inputs: CutoverInputs,
  source: Admin,
  block: (p: string, r: string) => void,
  notes: string[],
): Promise<void> {
  let found;
  try {
    found = await groupsWithOffsetsOn(source, Object.keys(inputs.topics), inputs.consumerGroups);
  } catch (e) {
    block(
      "consumerGroups",
      `could not list the consumer groups on the source as ${inputs.source.username} (${(e as Error).message}), so the preflight cannot tell whether a group not in consumerGroups reads group ${inputs.group}'s topics; fix the access to the source, then preview again`,
    );
    return;
  }
  const unlisted = unlistedGroupsBlocker(inputs.group, found.readers, inputs.source);
  if (unlisted) block("consumerGroups", unlisted);
  notes.push(...unreadableGroupsNote(inputs.group, found.unreadable, inputs.source));
}

/** The principal the cutover reads offsets as on `side` must be able to read every listed group's offsets there. */
async function checkGroupAccess(
  inputs: CutoverInputs,
  side: "source" | "destination",
  admin: Admin,
  block: (p: string, r: string) => void,
): Promise<void> {
  for (const reason of await groupAccessBlockers(admin, side, inputs[side], inputs.consumerGroups)) block(side, reason);
}

/** The canary's topic must exist on the destination; whether its login works is known only after the switch. */
async function checkCanaryTopic(
  inputs: CutoverInputs,
  destination: Admin,
  block: (p: string, r: string) => void,
  notes: string[],
): Promise<void> {
  const c = inputs.canary;
  if (!c) return;
  const topics = await destination.listTopics().catch(() => undefined);
  if (!topics) return; // the destination check above reports a destination that does not answer
  if (!topics.includes(c.topic)) {
    block(
      "canary",
      `the canary topic ${c.topic} does not exist on the destination: create it (one partition is enough) and allow ${c.access.username} to write and read it and to use the consumer group ${canaryGroupId(inputs.group)}`,
    );
    return;
  }
  notes.push(
    `after the switch, a canary signs in to the route as ${c.access.username} (${c.access.mechanism}), writes one record to ${c.topic} and finds it through the route and on the destination`,
  );
}

/**
 * Mirrors an earlier run promoted copy nothing more: a source partition ahead of its promoted topic holds
 * records the resume would lose (divergence.ts), so up refuses; the preview says so first. Errors reaching a
 * cluster or the link are the other checks' to report.
 */
async function checkRecordsPromotedMirrorsLack(
  inputs: CutoverInputs,
  block: (p: string, r: string) => void,
): Promise<void> {
  const rest = linkRestClient(inputs);
  const stopped = new Set(
    (await rest.listMirrors(inputs.link.name).catch(() => []))
      .filter((m) => m.mirror_status === "STOPPED")
      .map((m) => m.mirror_topic_name),
  );
  const promoted = Object.fromEntries(Object.entries(inputs.topics).filter(([, mirror]) => stopped.has(mirror)));
  if (Object.keys(promoted).length === 0) return;
  const admins: Admin[] = [];
  try {
    for (const [access, side] of [
      [inputs.source, "source"],
      [inputs.destination, "destination"],
    ] as const)
      admins.push(await connectAdmin(access, `kafka-cutover-preflight-promoted-${side}`));
    const diverged = await promotedBehindSource(admins[0], admins[1], promoted);
    if (diverged.length === 0) return;
    const live = await readRoute(inputs).catch(() => undefined);
    block("topics", lostRecordsReason(inputs.group, diverged, live && !live.fenced ? "open" : "fenced"));
  } catch {
    return; // a cluster that does not answer is reported by checkCluster
  } finally {
    await Promise.allSettled(admins.map((a) => a.disconnect()));
  }
}

async function readRoute(inputs: CutoverInputs): Promise<{ fenced: boolean } | undefined> {
  const k8s = new KubernetesClient({ kubeconfig: inputs.gateway.kubeconfig, timeoutMs: 10_000 });
  return (await new LiveRoute(k8s, inputs.gateway.namespace, inputs.gateway.name, inputs.group).read())?.view;
}

/**
 * The route passes topic names through unchanged, so a mirror under another name (a link prefix) is not where
 * the clients look after the switch. Config validation refuses the prefix; this catches any other way in.
 */
export function renamedMirrorsBlocker(group: string, topics: Readonly<Record<string, string>>): string | undefined {
  const renamed = Object.entries(topics).filter(([source, mirror]) => source !== mirror);
  if (renamed.length === 0) return undefined;
  return `group ${group}'s route does not rename topics, but these mirrors have other names than their source topics: ${renamed.map(([s, m]) => `${s} → ${m}`).join(", ")}; after the switch its clients would ask the destination for ${renamed.map(([s]) => s).join(", ")}, which would not exist there. Remove kafka-cutover:link.prefix (pulumi config rm --path 'kafka-cutover:link.prefix'; the link is replaced) and run pulumi up with cutover: false before cutting over`;
}

/** Transactional producers cannot cross a cutover (transactionalProducers.ts): running ones block. */
async function checkTransactionalProducers(
  inputs: CutoverInputs,
  block: (p: string, r: string) => void,
  notes: string[],
): Promise<void> {
  let found: Awaited<ReturnType<typeof findTransactionalProducers>>;
  try {
    found = await findTransactionalProducers(
      kafkaFor(inputs.source, "kafka-cutover-preflight-producers"),
      Object.keys(inputs.topics),
    );
  } catch (e) {
    notes.push(
      `could not ask the source which producers write the group's topics (${(e as Error).message}): transactional producers were not checked`,
    );
    return;
  }
  const now = Date.now();
  const active = found.producers.filter((p) => isActive(p, now));
  const idle = found.producers.filter((p) => !isActive(p, now));
  if (active.length > 0) block("topics", transactionalProducersBlocker(inputs.group, active));
  if (idle.length > 0) notes.push(transactionalProducersNote(inputs.group, idle));
  if (found.unchecked.length > 0)
    notes.push(
      `transactional producers not checked on ${found.unchecked.map((u) => `${u.topic}[${u.partition}] (${u.error})`).join(", ")}`,
    );
}

/**
 * An earlier run that failed left its record in the Gateway's namespace (runRecord.ts): the preview says how
 * it ended, so the operator knows what up will resume from; and whether this run could keep its own record.
 */
async function noteLastRun(inputs: CutoverInputs, notes: string[]): Promise<void> {
  let k8s: KubernetesClient;
  try {
    k8s = new KubernetesClient({ kubeconfig: inputs.gateway.kubeconfig, timeoutMs: 10_000 });
  } catch {
    return; // checkGateway reports the kubeconfig
  }
  const records = new RunRecords(k8s, inputs.gateway.namespace, inputs.group);
  const [last, mayWrite] = await Promise.all([
    records.read(),
    k8s
      .canI({
        verb: "patch",
        group: "",
        resource: "configmaps",
        namespace: inputs.gateway.namespace,
        name: records.name,
      })
      .then(
        (r) => r.allowed,
        () => true, // unknown: the cutover will say if writing fails
      ),
  ]);
  if (last && last.outcome !== "cut-over")
    notes.push(
      `the last cutover run (${last.startedAt} to ${last.endedAt}) ${last.outcome === "rolled-back" ? "rolled back: the route went back to the source, unfenced" : `stopped with the route fenced since ${last.fenceAppliedAt ?? "its fence"}: clients are held until up finishes`}; it failed with: ${last.error ?? "(no error recorded)"}; its timeline: kubectl -n ${inputs.gateway.namespace} get configmap ${records.name} -o jsonpath='{.data.run\.json}'`,
    );
  if (!mayWrite)
    notes.push(
      `the kubeconfig's identity may not patch configmaps in ${inputs.gateway.namespace}: the cutover cannot keep its run record (${records.where()}), so a failed run's timeline is lost; grant it with a Role`,
    );
}

/** Passthrough hands the clients' own login to the destination: it must be one the destination accepts. */
function checkAuthPath(inputs: CutoverInputs, block: (p: string, r: string) => void): void {
  const after = inputs.gateway.destinationRoute.security;
  if (after.auth === "passthrough" && inputs.source.mechanism !== inputs.destination.mechanism) {
    block(
      "gateway",
      `group ${inputs.group} uses auth: passthrough, so its clients would present their ${inputs.source.mechanism} logins to the destination, which takes ${inputs.destination.mechanism}; use auth: swap for this group`,
    );
  }
}
