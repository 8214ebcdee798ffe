/**
 * One migration group's ACLs on the destination, carried over from the source (`carryOver.ts`), through the
 * Kafka Admin API, which the local destination and Confluent Cloud (an API key with CloudClusterAdmin) both
 * serve. Loaded by path through `delegatingProvider`, so nothing here is serialized into the state.
 *
 * - check:  validates the inputs, reads the source's ACLs (DescribeAcls, as the program's source user) and
 *           puts the destination bindings they become into the inputs, so the preview shows exactly what up
 *           creates; what is not carried, and why, shows as warnings. Once the group's config asks for its
 *           cutover the bindings stop following the source: the last ones are kept (the source may be
 *           decommissioned, and its ACLs with it, without taking the clients' rights on the destination).
 * - diff:   another destination cluster → replace (delete first); any other change → update.
 * - create: CreateAcls for the bindings the destination lacks; those it already had are not ours (`owned`).
 * - update: creates what is new or missing, deletes the owned bindings no longer wanted.
 * - read:   the bindings still on the destination, so `refresh` notices one deleted by hand and up recreates it.
 * - delete: DeleteAcls of exactly the owned bindings, each by an exact filter; once the group is cut over they
 *           are its clients' rights in production, so delete leaves them and says so.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ResourcePatternTypes, type Admin } from "kafkajs";
import { Failures, checkString, diffByKeys, scrubbed } from "../clusterLink/inputs";
import { UNKNOWN, containsUnknown, type KafkaAccess } from "../cutover/inputs";
import { connectAdmin } from "../cutover/offsets";
import { engineProgress, memoryProgress, type Progress } from "../cutover/progress";
import { PRINCIPAL, aclEntry, bindingKey, describeBinding, readAclBindings, type AclBinding } from "./bindings";
import { carryOverAcls } from "./carryOver";
import { withoutPropertyValues } from "../checkFailures";

export interface DestinationAclsInputs {
  /** The resource's own URN, for progress lines in the CLI. */
  readonly resourceUrn: string;
  readonly group: string;
  /** Source topic → its name on the destination. */
  readonly topics: Readonly<Record<string, string>>;
  readonly consumerGroups: readonly string[];
  /** Source principal → destination principal. */
  readonly principals: Readonly<Record<string, string>>;
  /** The group's config asks for its cutover: its ACLs no longer follow the source. */
  readonly frozen: boolean;
  /** The program's own access to each cluster; passwords are secrets. */
  readonly source: KafkaAccess;
  readonly destination: KafkaAccess;
  /** Set by check: the destination bindings the source's ACLs become. */
  readonly bindings?: readonly AclBinding[];
}

export interface DestinationAclsOutputs extends DestinationAclsInputs {
  readonly bindings: readonly AclBinding[];
  /** The bindings this resource created (not those the destination already had): what delete removes. */
  readonly owned: readonly AclBinding[];
}

const REPLACE_KEYS = ["destination.bootstrap"] as const;
const UPDATE_KEYS = ["bindings", "destination", "principals", "topics", "consumerGroups", "frozen", "group"] as const;

function progressFor(inputs: Pick<DestinationAclsInputs, "resourceUrn">): Progress {
  return engineProgress(inputs.resourceUrn) ?? memoryProgress();
}

function secretsOf(i: Partial<DestinationAclsInputs>): (string | undefined)[] {
  return [i.source?.password, i.destination?.password];
}

/** Messages never show the preview's unknown sentinel: a create-mode service account is known at up. */
function readable(message: string): string {
  return message.split(UNKNOWN).join("(the group's service account, known at up)");
}

export function checkInputs(news: Partial<DestinationAclsInputs>): pulumi.dynamic.CheckFailure[] {
  const f = new Failures();
  const raw = news as Record<string, unknown>;
  checkString(f, raw, "group", "the migration group's name");
  if (f.known(news.topics) && (typeof news.topics !== "object" || news.topics === null || Array.isArray(news.topics)))
    f.add("topics", "must map each source topic to its name on the destination");
  if (f.known(news.consumerGroups) && !Array.isArray(news.consumerGroups))
    f.add("consumerGroups", "must be a list of consumer group ids");
  const principals = news.principals;
  if (f.known(principals)) {
    if (typeof principals !== "object" || principals === null || Array.isArray(principals)) {
      f.add("principals", "must map each source principal to a destination principal");
    } else {
      for (const [from, to] of Object.entries(principals)) {
        if (!PRINCIPAL.test(from))
          f.add("principals", `${JSON.stringify(from)} is not a source principal such as User:alice`);
        // A destination principal not yet known (create mode's service account in a preview) is checked at up.
        if (f.known(to) && (typeof to !== "string" || !PRINCIPAL.test(to)))
          f.add(
            "principals",
            `${JSON.stringify(from)} maps to ${JSON.stringify(to)}, which is not one principal such as User:sa-abc123 (never a wildcard)`,
          );
      }
    }
  }
  for (const side of ["source", "destination"] as const) {
    const access = news[side];
    if (!f.known(access)) continue;
    if (typeof access !== "object" || access === null) {
      f.add(side, "is not set: the program's Kafka access to that cluster");
      continue;
    }
    const a = access as unknown as Record<string, unknown>;
    for (const key of ["bootstrap", "securityProtocol", "mechanism", "username"])
      if (f.known(a[key]) && (typeof a[key] !== "string" || a[key] === "")) f.add(side, `${key} is not set`);
    if (f.known(a.password) && (typeof a.password !== "string" || a.password === ""))
      f.add(side, "password is not set (a Pulumi secret)");
  }
  return f.list;
}

export const provider: pulumi.dynamic.ResourceProvider<DestinationAclsInputs, DestinationAclsOutputs> = {
  async check(olds: Partial<DestinationAclsInputs> | undefined, news: DestinationAclsInputs) {
    const failures = checkInputs(news);
    if (failures.length > 0) return { inputs: news, failures: withoutPropertyValues(failures) };
    const progress = progressFor(news);
    if (news.frozen && Array.isArray(olds?.bindings)) {
      progress.info(
        `ACLs of group ${news.group}: its cutover is asked for, so they no longer follow the source; the ${olds.bindings.length} binding(s) of the last up stay`,
      );
      return { inputs: { ...news, bindings: olds.bindings } };
    }
    if (containsUnknown(news.source) || containsUnknown(news.topics) || containsUnknown(news.consumerGroups)) {
      progress.info(`ACLs of group ${news.group}: the source's are read at up (some inputs are not known yet)`);
      return { inputs: { ...news, bindings: UNKNOWN as unknown as AclBinding[] } };
    }
    let source: AclBinding[];
    try {
      source = await readSourceAcls(news.source);
    } catch (err) {
      // `source` holds the source password: the engine would print it with a failure on that property.
      return {
        inputs: news,
        failures: withoutPropertyValues([{ property: "source", reason: sourceReadFailure(err, news) }]),
      };
    }
    const carried = carryOverAcls(source, {
      topics: news.topics,
      consumerGroups: news.consumerGroups,
      principals: news.principals,
      ignorePrincipals: [`User:${news.source.username}`],
    });
    report(progress, news.group, carried);
    return { inputs: { ...news, bindings: carried.bindings } };
  },

  async diff(_id: string, olds: DestinationAclsOutputs, news: DestinationAclsInputs) {
    const flat = (i: Partial<DestinationAclsInputs>) => ({
      ...i,
      "destination.bootstrap": i.destination?.bootstrap,
      bindings: i.bindings === undefined || !Array.isArray(i.bindings) ? i.bindings : sortedKeys(i.bindings),
    });
    return diffByKeys(flat(olds), flat(news), REPLACE_KEYS, UPDATE_KEYS);
  },

  async create(inputs: DestinationAclsInputs) {
    const bindings = wanted(inputs);
    const owned = await withDestination(inputs, `creating the ACLs of group ${inputs.group}`, async (admin) => {
      const live = await liveKeys(admin, bindings);
      const missing = bindings.filter((b) => !live.has(bindingKey(b)));
      if (missing.length > 0) await admin.createAcls({ acl: missing.map(aclEntry) });
      return missing;
    });
    progressFor(inputs).info(
      `ACLs of group ${inputs.group}: ${owned.length} binding(s) created on the destination, ${bindings.length - owned.length} already there`,
    );
    return { id: `${inputs.group}-acls`, outs: { ...inputs, bindings, owned } };
  },

  async update(_id: string, olds: DestinationAclsOutputs, news: DestinationAclsInputs) {
    const bindings = wanted(news);
    const next = new Set(bindings.map(bindingKey));
    const owned = await withDestination(news, `updating the ACLs of group ${news.group}`, async (admin) => {
      const live = await liveKeys(admin, [...bindings, ...olds.owned]);
      const missing = bindings.filter((b) => !live.has(bindingKey(b)));
      const stale = olds.owned.filter((b) => !next.has(bindingKey(b)) && live.has(bindingKey(b)));
      if (missing.length > 0) await admin.createAcls({ acl: missing.map(aclEntry) });
      if (stale.length > 0) await admin.deleteAcls({ filters: stale.map(aclEntry) });
      const kept = olds.owned.filter((b) => next.has(bindingKey(b)) && live.has(bindingKey(b)));
      return [...kept, ...missing];
    });
    return { outs: { ...news, bindings, owned } };
  },

  async read(id: string, props?: DestinationAclsOutputs) {
    if (!props) throw new Error(`ACLs ${id}: cannot read without their last known state (import is not supported)`);
    const live = await withDestination(props, `reading the ACLs of group ${props.group}`, (admin) =>
      liveKeys(admin, props.bindings),
    );
    const present = (b: AclBinding) => live.has(bindingKey(b));
    return {
      id,
      props: { ...props, bindings: props.bindings.filter(present), owned: props.owned.filter(present) },
    };
  },

  async delete(_id: string, props: DestinationAclsOutputs) {
    if (props.owned.length === 0) return;
    if (props.frozen) {
      progressFor(props).warn(
        `ACLs of group ${props.group}: left on the destination (${props.owned.map(describeBinding).join("; ")}): the group's cutover was asked for, so they are its clients' rights in production; delete them by hand once no client needs them`,
      );
      return;
    }
    await withDestination(props, `deleting the ACLs of group ${props.group}`, (admin) =>
      admin.deleteAcls({ filters: props.owned.map(aclEntry) }),
    );
  },
};

/** The bindings check computed; create and update never run without them. */
function wanted(inputs: DestinationAclsInputs): AclBinding[] {
  if (!Array.isArray(inputs.bindings))
    throw new Error(`ACLs of group ${inputs.group}: no bindings were computed (check did not run)`);
  return [...inputs.bindings];
}

function sortedKeys(bindings: readonly AclBinding[]): string[] {
  return bindings.map(bindingKey).sort();
}

async function readSourceAcls(access: KafkaAccess): Promise<AclBinding[]> {
  const admin = await connectAdmin(access, "kafka-cutover-acls");
  try {
    return await readAclBindings(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function sourceReadFailure(err: unknown, inputs: DestinationAclsInputs): string {
  const type = kafkaErrorType(err);
  const why =
    type === "SECURITY_DISABLED"
      ? "the source has no authorizer, so every client may do everything there, which no destination ACL can carry; remove the group's principal mapping and grant its principals on the destination yourself"
      : type === "CLUSTER_AUTHORIZATION_FAILED"
        ? `User:${inputs.source.username} may not describe the source's ACLs: allow it DESCRIBE on the cluster (kafka-acls --add --allow-principal User:${inputs.source.username} --operation Describe --cluster)`
        : "check that the source is reachable and the program's user may describe its ACLs (DESCRIBE on the cluster)";
  return scrubbed(
    err,
    `cannot read the source's ACLs for group ${inputs.group} (DescribeAcls); ${why}`,
    secretsOf(inputs),
  ).message;
}

/** The Kafka error name of a kafkajs error, looking through the wrappers its retrier adds. */
function kafkaErrorType(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { type?: unknown; originalError?: unknown; cause?: unknown };
    if (typeof e.type === "string") return e.type;
    current = e.originalError ?? e.cause;
  }
  return undefined;
}

function report(progress: Progress, group: string, carried: ReturnType<typeof carryOverAcls>): void {
  const lines = carried.bindings.map(describeBinding);
  progress.info(
    readable(
      lines.length === 0
        ? `ACLs of group ${group}: nothing to carry to the destination`
        : `ACLs of group ${group} on the destination (${lines.length}): ${lines.join("; ")}`,
    ),
  );
  for (const n of carried.notCarried) progress.warn(readable(`ACLs of group ${group}: not carried: ${n}`));
  for (const n of carried.notes) progress.warn(readable(`ACLs of group ${group}: ${n}`));
}

/** Runs `fn` with an admin on the destination; errors name what was being done and never a credential. */
async function withDestination<T>(
  inputs: DestinationAclsInputs,
  what: string,
  fn: (admin: Admin) => Promise<T>,
): Promise<T> {
  let admin: Admin | undefined;
  try {
    admin = await connectAdmin(inputs.destination, "kafka-cutover-acls");
    return await fn(admin);
  } catch (err) {
    throw scrubbed(err, `${what} on the destination (${inputs.destination.bootstrap})`, secretsOf(inputs));
  } finally {
    await admin?.disconnect().catch(() => undefined);
  }
}

/** Which of `bindings` the destination has: one DescribeAcls per principal, LITERAL patterns. */
async function liveKeys(admin: Pick<Admin, "describeAcls">, bindings: readonly AclBinding[]): Promise<Set<string>> {
  const live = new Set<string>();
  for (const principal of new Set(bindings.map((b) => b.principal))) {
    const found = await readAclBindings(admin, { resourcePatternType: ResourcePatternTypes.LITERAL, principal });
    for (const b of found) live.add(bindingKey(b));
  }
  return live;
}
