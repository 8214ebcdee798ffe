/** Parses a SASL/PLAIN token (`authzid NUL username NUL password`). */
export function parsePlain(token: Buffer): { username: string; password: string } | undefined {
  const parts = token.toString("utf8").split("\u0000");
  if (parts.length !== 3 || !parts[1]) return undefined;
  return { username: parts[1], password: parts[2] };
}
