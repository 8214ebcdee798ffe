// labelSelector and fieldSelector, as list and watch take them.
import { badRequest } from "./errors";
import type { KubeObject } from "./types";

export type Selector = (o: KubeObject) => boolean;

function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out.map((t) => t.trim()).filter(Boolean);
}

export function labelSelector(s: string | null): Selector {
  if (!s) return () => true;
  const terms = splitTerms(s).map((t): Selector => {
    let m: RegExpMatchArray | null;
    const labels = (o: KubeObject): Record<string, string> => o.metadata.labels ?? {};
    if ((m = t.match(/^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const [, key, op, list] = m;
      const values = list.split(",").map((v) => v.trim());
      return op === "in"
        ? (o) => key in labels(o) && values.includes(labels(o)[key])
        : (o) => !(key in labels(o)) || !values.includes(labels(o)[key]);
    }
    if ((m = t.match(/^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/))) {
      const [, key, op, value] = m;
      return op === "!=" ? (o) => labels(o)[key] !== value : (o) => labels(o)[key] === value;
    }
    if ((m = t.match(/^!([^\s!=]+)$/))) {
      const key = m[1];
      return (o) => !(key in labels(o));
    }
    if ((m = t.match(/^([^\s!=()]+)$/))) {
      const key = m[1];
      return (o) => key in labels(o);
    }
    throw badRequest(`unable to parse requirement: ${JSON.stringify(t)}`);
  });
  return (o) => terms.every((f) => f(o));
}

export function fieldSelector(s: string | null): Selector {
  if (!s) return () => true;
  const terms = splitTerms(s).map((t): Selector => {
    const m = t.match(/^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid selector: ${JSON.stringify(s)}; can't understand ${JSON.stringify(t)}`);
    const [, field, op, value] = m;
    if (!["metadata.name", "metadata.namespace", "type"].includes(field))
      throw badRequest(`field label not supported: ${field}`);
    const read = (o: KubeObject): string | undefined => {
      if (field === "metadata.name") return o.metadata.name;
      if (field === "metadata.namespace") return o.metadata.namespace ?? "";
      return typeof o.type === "string" ? o.type : undefined;
    };
    return op === "!=" ? (o) => read(o) !== value : (o) => read(o) === value;
  });
  return (o) => terms.every((f) => f(o));
}
