// Daemon entry point (`ts-node --transpile-only local/oauth/main.ts`), started by startOAuthDaemon.
// Environment: KAFKA_CUTOVER_STATE, KAFKA_CUTOVER_OAUTH_PORT (the port to reuse, if free),
// KAFKA_CUTOVER_OAUTH_TOKEN_LIFETIME_S (default token lifetime, seconds).
import * as fs from "node:fs";
import { resolveStateDir } from "../kafka/paths";
import { isPortFree } from "../kafka/ports";
import {
  DEFAULT_TOKEN_LIFETIME_S,
  LOCAL_AUDIENCE,
  oauthEndpointFile,
  oauthPidFile,
  type OAuthServerInfo,
} from "./daemon";
import { startOAuthServer } from "./server";

async function main(): Promise<void> {
  const stateDir = resolveStateDir();
  const wanted = Number(process.env.KAFKA_CUTOVER_OAUTH_PORT ?? 0);
  const lifetimeSeconds = Number(process.env.KAFKA_CUTOVER_OAUTH_TOKEN_LIFETIME_S ?? DEFAULT_TOKEN_LIFETIME_S);
  if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds <= 0)
    throw new Error(`KAFKA_CUTOVER_OAUTH_TOKEN_LIFETIME_S must be a positive integer, got ${lifetimeSeconds}`);
  const server = await startOAuthServer({
    stateDir,
    port: wanted > 0 && (await isPortFree(wanted)) ? wanted : 0,
    audience: LOCAL_AUDIENCE,
    lifetimeSeconds,
    log: (m) => console.log(`${new Date().toISOString()} ${m}`),
  });
  const info: OAuthServerInfo = {
    pid: process.pid,
    issuer: server.issuer,
    tokenEndpoint: server.tokenEndpoint,
    jwksEndpoint: server.jwksEndpoint,
    audience: LOCAL_AUDIENCE,
    lifetimeSeconds,
    port: server.port,
  };
  fs.writeFileSync(oauthPidFile(stateDir), `${process.pid}\n`);
  const file = oauthEndpointFile(stateDir);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(info, null, 2), { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  console.log(
    `OAuth server ${server.issuer} (token ${server.tokenEndpoint}, JWKS ${server.jwksEndpoint}) pid ${process.pid}`,
  );
  const shutdown = (): void => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
