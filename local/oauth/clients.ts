/**
 * The authorization server's registered clients, in `<state>/oauth/clients.json`: the server reads the file on
 * every token request, so a client registered (or its secret rotated) here works at once, without a restart,
 * as an identity provider's console would make it.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export interface OAuthClientEntry {
  readonly secret: string;
  /** The token's `sub` (default: the client id), which the destination makes the principal `User:<sub>`. */
  readonly subject?: string;
  /**
   * Token lifetime in seconds, overriding the server's. Negative: tokens that expired that long ago when issued,
   * as from an identity provider whose clock runs behind (tests of the destination's expiry check).
   */
  readonly lifetimeSeconds?: number;
}

export type OAuthClients = Record<string, OAuthClientEntry>;

export function oauthDir(stateDir: string): string {
  return path.join(stateDir, "oauth");
}

export function clientsFile(stateDir: string): string {
  return path.join(oauthDir(stateDir), "clients.json");
}

export function readOAuthClients(stateDir: string): OAuthClients {
  try {
    return JSON.parse(fs.readFileSync(clientsFile(stateDir), "utf8")) as OAuthClients;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(`${clientsFile(stateDir)}: ${(err as Error).message}`);
  }
}

/**
 * Registers `clientId` (or updates it with `opts`) and returns its entry. A new client gets a random secret
 * unless `opts.secret` names one. Read-modify-write through a rename, so the server never reads half a file.
 */
export function registerOAuthClient(
  stateDir: string,
  clientId: string,
  opts: Partial<OAuthClientEntry> = {},
): OAuthClientEntry {
  if (!/^[A-Za-z0-9_.-]+$/.test(clientId)) throw new Error(`unsafe OAuth client id: ${JSON.stringify(clientId)}`);
  const clients = readOAuthClients(stateDir);
  const entry: OAuthClientEntry = {
    ...clients[clientId],
    secret: clients[clientId]?.secret ?? randomBytes(24).toString("base64url"),
    ...opts,
  };
  const file = clientsFile(stateDir);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify({ ...clients, [clientId]: entry }, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return entry;
}
