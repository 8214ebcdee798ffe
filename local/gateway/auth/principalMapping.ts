/**
 * Kafka's `ssl.principal.mapping.rules`: how a client certificate's subject DN (RFC 2253, as Java's
 * `X500Principal.getName()` prints it) becomes a principal name. Rules are tried in order; the first that
 * applies wins, and a DN no rule applies to is refused.
 *
 * - `DEFAULT` applies to every DN and keeps it whole.
 * - `RULE:pattern/replacement/[L|U]` applies when `pattern` (a regex) matches the whole DN; the result is the
 *   DN with every match of `pattern` replaced by `replacement` (Java's `replaceAll`: `$n` group references,
 *   `\` escapes), lower- or upper-cased with `L`/`U`. A reference to a group the pattern does not have is
 *   kept as literal text, as Kafka does. `/` and `\` inside the pattern or replacement are escaped with `\`.
 * - Several rules may share one string, separated by commas (a pattern may itself contain commas).
 */

/** One rule, as the splitter finds it: `DEFAULT`, `RULE:...`, or anything else (an invalid or empty rule). */
const RULE_SYNTAX = String.raw`(DEFAULT)|RULE:((?:\\.|[^\\/])*)/((?:\\.|[^\\/])*)/([LU]?).*?|(.*?)`;
const SPLITTER = new RegExp(String.raw`\s*(${RULE_SYNTAX})\s*(?:,\s*|$)`, "g");
const PARSER = new RegExp(`^(?:${RULE_SYNTAX})`);

export type MappingRule =
  | { readonly kind: "default" }
  | {
      readonly kind: "rule";
      readonly pattern: string;
      readonly replacement: string;
      readonly caseFold: "" | "L" | "U";
    };

export class PrincipalMappingError extends Error {}

/** Splits a rules string at the commas between rules (never inside a rule's pattern or replacement). */
function splitRules(text: string): string[] {
  const out: string[] = [];
  const input = text.trim();
  SPLITTER.lastIndex = 0;
  for (let m = SPLITTER.exec(input); m; m = SPLITTER.exec(input)) {
    out.push(m[1]);
    // An empty match (the end of the input) must not be found again at the same place.
    if (m[0].length === 0) {
      if (SPLITTER.lastIndex >= input.length) break;
      SPLITTER.lastIndex++;
    }
  }
  return out;
}

function parseRule(text: string): MappingRule | undefined {
  const m = PARSER.exec(text);
  const end = m ? m[0].length : 0;
  if (!m || end !== text.length) {
    throw new PrincipalMappingError(
      `invalid rule \`${text}\`` + (m ? `, unmatched substring: \`${text.slice(end)}\`` : ""),
    );
  }
  if (m[1] !== undefined) return { kind: "default" };
  if (m[2] === undefined) return undefined; // an empty rule, e.g. between two commas
  try {
    new RegExp(m[2]);
  } catch (err) {
    throw new PrincipalMappingError(`invalid rule \`${text}\`: ${(err as Error).message}`);
  }
  return { kind: "rule", pattern: m[2], replacement: m[3], caseFold: m[4] as "" | "L" | "U" };
}

/** Parses rule strings (each may hold several comma-separated rules); none at all means `DEFAULT`. */
export function parsePrincipalMappingRules(rules: readonly string[] | undefined): MappingRule[] {
  const texts = rules && rules.length > 0 ? rules : ["DEFAULT"];
  const parsed: MappingRule[] = [];
  for (const text of texts) {
    for (const piece of splitRules(text)) {
      const rule = parseRule(piece);
      if (rule) parsed.push(rule);
    }
  }
  return parsed;
}

function groupCount(pattern: RegExp): number {
  return (new RegExp(`${pattern.source}|`).exec("") as RegExpExecArray).length - 1;
}

/**
 * Expands `replacement` for one match the way Java's `Matcher.appendReplacement` does after Kafka has turned
 * references to missing groups into literals: `$n` takes the longest prefix of its digits that names a group
 * (the first digit always counts), `${name}` a named group, `\x` is a literal x.
 */
function expand(replacement: string, groups: readonly (string | undefined)[], named: Record<string, string>): string {
  const count = groups.length - 1;
  let out = "";
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === "\\") {
      if (i + 1 >= replacement.length) throw new PrincipalMappingError("character to be escaped is missing");
      out += replacement[++i];
      continue;
    }
    if (c !== "$") {
      out += c;
      continue;
    }
    const next = replacement[i + 1] ?? "";
    if (next === "{") {
      const close = replacement.indexOf("}", i + 2);
      const name = close < 0 ? "" : replacement.slice(i + 2, close);
      if (!name || !(name in named)) throw new PrincipalMappingError(`no group with name {${name}}`);
      out += named[name];
      i = close;
      continue;
    }
    if (!/[0-9]/.test(next)) throw new PrincipalMappingError("illegal group reference in replacement");
    let ref = Number(next);
    // Kafka leaves references alone when the pattern has no group at all, so Java refuses them there.
    if (ref > count && count > 0) {
      out += "$";
      continue;
    }
    if (ref > count) throw new PrincipalMappingError(`no group ${ref}`);
    i++;
    while (i + 1 < replacement.length && /[0-9]/.test(replacement[i + 1])) {
      const longer = ref * 10 + Number(replacement[i + 1]);
      if (longer > count) break;
      ref = longer;
      i++;
    }
    out += groups[ref] ?? "";
  }
  return out;
}

function applyRule(rule: MappingRule, dn: string): string | undefined {
  if (rule.kind === "default") return dn;
  if (!new RegExp(`^(?:${rule.pattern})$`).test(dn)) return undefined;
  const all = new RegExp(rule.pattern, "g");
  const count = groupCount(all);
  const replaced = dn.replace(all, (...args: unknown[]) => {
    const groups = args.slice(0, count + 1) as (string | undefined)[];
    const last = args[args.length - 1];
    const named = typeof last === "object" && last !== null ? (last as Record<string, string>) : {};
    return expand(rule.replacement, groups, named);
  });
  return rule.caseFold === "L" ? replaced.toLowerCase() : rule.caseFold === "U" ? replaced.toUpperCase() : replaced;
}

/** The principal name of `dn` under `rules`; throws PrincipalMappingError when no rule applies. */
export function mapPrincipal(rules: readonly MappingRule[], dn: string): string {
  for (const rule of rules) {
    const name = applyRule(rule, dn);
    if (name !== undefined) return name;
  }
  throw new PrincipalMappingError(`no principal mapping rule applies to ${dn}`);
}
