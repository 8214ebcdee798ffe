/** `consumer.offset.group.filters`: `{"groupFilters":[{"name","patternType","filterType"}]}`. */
export interface GroupFilter {
  name: string;
  patternType: "LITERAL" | "PREFIXED";
  filterType: "INCLUDE" | "EXCLUDE";
}

export function parseGroupFilters(value: string | undefined): GroupFilter[] {
  if (value === undefined || value.trim() === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error(
      'consumer.offset.group.filters must be JSON like {"groupFilters":[{"name":"*","patternType":"LITERAL","filterType":"INCLUDE"}]}',
    );
  }
  const list = (parsed as { groupFilters?: unknown }).groupFilters;
  if (!Array.isArray(list)) throw new Error("consumer.offset.group.filters must have a groupFilters array");
  return list.map((entry: unknown, i) => {
    const f = entry as Partial<Record<keyof GroupFilter, unknown>>;
    if (typeof f.name !== "string" || f.name === "")
      throw new Error(`groupFilters[${i}].name must be a non-empty string`);
    const patternType = f.patternType ?? "LITERAL";
    const filterType = f.filterType ?? "INCLUDE";
    if (patternType !== "LITERAL" && patternType !== "PREFIXED")
      throw new Error(`groupFilters[${i}].patternType must be LITERAL or PREFIXED`);
    if (filterType !== "INCLUDE" && filterType !== "EXCLUDE")
      throw new Error(`groupFilters[${i}].filterType must be INCLUDE or EXCLUDE`);
    return { name: f.name, patternType, filterType };
  });
}

function matches(filter: GroupFilter, group: string): boolean {
  if (filter.patternType === "PREFIXED") return group.startsWith(filter.name);
  return filter.name === "*" || filter.name === group;
}

/** Included by at least one INCLUDE filter and excluded by none (EXCLUDE wins). */
export function groupSelected(filters: GroupFilter[], group: string): boolean {
  const relevant = filters.filter((f) => matches(f, group));
  return relevant.some((f) => f.filterType === "INCLUDE") && !relevant.some((f) => f.filterType === "EXCLUDE");
}
