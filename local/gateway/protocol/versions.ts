/** An inclusive version range from a message spec ("0+", "3-7", "none"); `undefined` means no versions. */
export interface VersionRange {
  min: number;
  max: number;
}

export function parseVersions(text: string | undefined): VersionRange | undefined {
  if (text === undefined || text === "none" || text === "") return undefined;
  const plus = /^(\d+)\+$/.exec(text);
  if (plus) return { min: Number(plus[1]), max: Number.MAX_SAFE_INTEGER };
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  if (/^\d+$/.test(text)) return { min: Number(text), max: Number(text) };
  throw new Error(`bad version range ${JSON.stringify(text)}`);
}

export function inVersions(text: string | undefined, version: number): boolean {
  const range = parseVersions(text);
  return range !== undefined && version >= range.min && version <= range.max;
}
