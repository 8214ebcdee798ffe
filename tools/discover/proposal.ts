/**
 * Turns proposed groups into a `kafka-cutover:groups` section the program's validator accepts, with each
 * group's reasons and flags as YAML comments, ready to paste under `config:` in `Pulumi.<stack>.yaml`.
 */
import YAML from "yaml";
import type { ProposedGroup } from "./grouping";

/** The validator's rule for group names (config/validate.ts): a DNS-1123 label, as it names the route. */
const GROUP_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** The validator's rule for principals: a Kubernetes Secret key (config/validate.ts, SECRET_KEY). */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

export interface ProposalOptions {
  /** `passthrough` (default) or `swap`; with swap the group lists its principals. */
  readonly auth?: "passthrough" | "swap";
  /** The route endpoint, with `{name}` for the group's name and `{port}` for firstPort + its index. */
  readonly endpointTemplate?: string;
  readonly firstPort?: number;
}

/** One `kafka-cutover:groups` entry, as the stack file holds it. */
export interface GroupEntry {
  name: string;
  topics: string[];
  consumerGroups: string[];
  endpoint: string;
  auth: "passthrough" | "swap";
  principals?: string[];
  cutover: false;
}

export interface Proposal {
  readonly entries: readonly GroupEntry[];
  /** Per entry, the comment lines written above it. */
  readonly comments: readonly string[][];
}

export const DEFAULT_ENDPOINT_TEMPLATE = "{name}.gateway.example:9092";

export function buildProposal(groups: readonly ProposedGroup[], opts: ProposalOptions = {}): Proposal {
  const auth = opts.auth ?? "passthrough";
  const template = opts.endpointTemplate ?? DEFAULT_ENDPOINT_TEMPLATE;
  const used = new Set<string>();
  const entries: GroupEntry[] = [];
  const comments: string[][] = [];
  // Groups whose topics share the same prefix (`orders.a`+`orders.b`, `orders.c`) would all be `orders`:
  // each of them then takes its first topic's next segment too, rather than a bare -2.
  const bases = groups.map((g) => baseName(g.topics));
  const shared = new Set(bases.filter((b, i) => bases.indexOf(b) !== i));
  groups.forEach((g, i) => {
    const name = uniqueName(shared.has(bases[i]) ? baseName(g.topics, 1) : bases[i], used);
    const usernames = g.principals.map(username);
    const usable = usernames.filter((p) => SECRET_KEY.test(p));
    const unusable = usernames.filter((p) => !SECRET_KEY.test(p));
    const entry: GroupEntry = {
      name,
      topics: [...g.topics],
      consumerGroups: [...g.consumerGroups],
      endpoint: template.replace(/\{name\}/g, name).replace(/\{port\}/g, String((opts.firstPort ?? 9092) + i)),
      auth,
      ...(auth === "swap" ? { principals: usable } : {}),
      cutover: false,
    };
    const lines = [
      ...g.reasons.map((r) => `why: ${r}`),
      ...g.blockers.map((b) => `BLOCKER: ${b}`),
      ...g.notes.map((n) => `note: ${n}`),
    ];
    if (auth === "passthrough" && usernames.length > 0)
      lines.push(`principals (for auth: swap): ${usernames.join(", ")}`);
    if (auth === "swap" && unusable.length > 0)
      lines.push(
        `BLOCKER: principal${unusable.length > 1 ? "s" : ""} ${unusable.join(", ")} cannot be a Gateway secret-store key (letters, digits, '-', '_', '.'): map ${unusable.length > 1 ? "them" : "it"} with principalMappingRules`,
      );
    lines.push("endpoint: set to the group's Gateway route");
    entries.push(entry);
    comments.push(lines);
  });
  return { entries, comments };
}

/** The YAML text: the `kafka-cutover:groups` key indented to sit under `config:` in a stack file. */
export function renderProposal(proposal: Proposal, header: readonly string[] = []): string {
  const doc = new YAML.Document({ "kafka-cutover:groups": proposal.entries });
  const seq = doc.get("kafka-cutover:groups", true);
  if (YAML.isSeq(seq))
    seq.items.forEach((item, i) => {
      if (YAML.isNode(item)) item.commentBefore = proposal.comments[i].map((l) => ` ${l}`).join("\n");
    });
  const body = doc.toString({ lineWidth: 0 });
  const head = header.map((l) => `# ${l}\n`).join("");
  return (
    head +
    body
      .split("\n")
      .map((l) => (l === "" ? l : `  ${l}`))
      .join("\n")
  );
}

/** `alice` for `User:alice`: the name the client signs in with, which is what a group's `principals` lists. */
function username(principal: string): string {
  return principal.startsWith("User:") ? principal.slice("User:".length) : principal;
}

/**
 * A name from what the topics share: the longest run of leading name segments common to all (`orders.v1`
 * and `orders.v2` → `orders`) plus `extraSegments` more of the first topic's, else the first topic's name, made a
 * DNS-1123 label.
 */
export function baseName(topics: readonly string[], extraSegments = 0): string {
  const split = topics.map((t) => t.split(/[._-]/));
  let common = 0;
  while (common < split[0].length && split.every((s) => s[common] === split[0][common])) common++;
  const raw = split[0].slice(0, common > 0 ? common + extraSegments : split[0].length).join("-");
  const label = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 55)
    .replace(/-+$/, "");
  return label === "" ? "group" : label;
}

function uniqueName(base: string, used: Set<string>): string {
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
  if (!GROUP_NAME.test(name)) throw new Error(`internal error: ${JSON.stringify(name)} is not a valid group name`);
  used.add(name);
  return name;
}
