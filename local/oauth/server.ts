/**
 * The local OAuth 2 authorization server: oauth2-mock-server (signing keys, JWKS, discovery, token endpoint)
 * made strict where an identity provider is: only the client-credentials grant, only registered clients with
 * their secret (clients.ts), `sub` = the client (or its configured subject), one audience, a short expiry.
 * Imported only by main.ts: the package is an ES module, which the daemon's Node loads and jest cannot.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { IncomingMessage } from "node:http";
import { OAuth2Server, type MutableResponse, type MutableToken } from "oauth2-mock-server";
import { oauthDir, readOAuthClients, type OAuthClientEntry } from "./clients";

export interface OAuthServerOptions {
  stateDir: string;
  /** 0 or undefined: any free port. */
  port?: number;
  audience: string;
  /** Default token lifetime in seconds (a client's `lifetimeSeconds` overrides it). */
  lifetimeSeconds: number;
  log?: (message: string) => void;
}

export interface RunningOAuthServer {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly jwksEndpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

interface ClientCredentials {
  id: string;
  secret: string | undefined;
}

/** RFC 6749 §2.3.1: HTTP Basic with the form-urlencoded id and secret (what Kafka's token retriever sends), or the body. */
function clientCredentials(req: IncomingMessage & { body?: Record<string, unknown> }): ClientCredentials | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith("Basic ")) {
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    const at = decoded.indexOf(":");
    if (at < 0) return undefined;
    const form = (s: string): string => decodeURIComponent(s.replace(/\+/g, " "));
    return { id: form(decoded.slice(0, at)), secret: form(decoded.slice(at + 1)) };
  }
  const id = req.body?.client_id;
  const secret = req.body?.client_secret;
  return typeof id === "string" ? { id, secret: typeof secret === "string" ? secret : undefined } : undefined;
}

type Verdict = { ok: true; id: string; client: OAuthClientEntry } | { ok: false; reason: string };

function authenticate(stateDir: string, req: IncomingMessage & { body?: Record<string, unknown> }): Verdict {
  const c = clientCredentials(req);
  if (!c) return { ok: false, reason: "no client credentials" };
  const client = readOAuthClients(stateDir)[c.id];
  if (!client) return { ok: false, reason: `unknown client ${c.id}` };
  if (c.secret !== client.secret) return { ok: false, reason: `wrong secret for client ${c.id}` };
  return { ok: true, id: c.id, client };
}

function signingKeyFile(stateDir: string): string {
  return path.join(oauthDir(stateDir), "signing-key.json");
}

export async function startOAuthServer(opts: OAuthServerOptions): Promise<RunningOAuthServer> {
  const log = opts.log ?? (() => undefined);
  const server = new OAuth2Server();
  // One RSA key per environment, kept across restarts: a broker that cached the JWKS keeps accepting tokens.
  const keyFile = signingKeyFile(opts.stateDir);
  if (fs.existsSync(keyFile))
    await server.issuer.keys.add(JSON.parse(fs.readFileSync(keyFile, "utf8")) as Record<string, unknown>);
  else {
    await server.issuer.keys.generate("RS256");
    fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    fs.writeFileSync(keyFile, JSON.stringify(server.issuer.keys.toJSON(true)[0]), { mode: 0o600 });
  }
  const lifetime = (client: OAuthClientEntry): number => client.lifetimeSeconds ?? opts.lifetimeSeconds;

  server.service.on("beforeTokenSigning", (token: MutableToken, req: IncomingMessage) => {
    const verdict = authenticate(opts.stateDir, req);
    if (!verdict.ok) return; // refused in beforeResponse; this token is never sent
    token.payload.sub = verdict.client.subject ?? verdict.id;
    token.payload.aud = opts.audience;
    token.payload.exp = token.payload.iat + lifetime(verdict.client);
    token.payload.client_id = verdict.id;
  });
  server.service.on(
    "beforeResponse",
    (response: MutableResponse, req: IncomingMessage & { body?: Record<string, unknown> }) => {
      const grant = req.body?.grant_type;
      if (grant !== "client_credentials") {
        log(`token request refused: grant_type ${String(grant)} (only client_credentials)`);
        response.statusCode = 400;
        response.body = { error: "unsupported_grant_type", error_description: "only client_credentials is supported" };
        return;
      }
      const verdict = authenticate(opts.stateDir, req);
      if (!verdict.ok) {
        log(`token request refused: ${verdict.reason}`);
        response.statusCode = 401;
        response.body = { error: "invalid_client", error_description: "Client authentication failed" };
        return;
      }
      const body = response.body as Record<string, unknown>;
      body.expires_in = lifetime(verdict.client);
      if (body.scope === undefined) delete body.scope;
      log(`token issued to ${verdict.id} (sub ${verdict.client.subject ?? verdict.id}, ${lifetime(verdict.client)} s)`);
    },
  );

  await server.start(opts.port ?? 0, "127.0.0.1");
  // The package names the host "localhost"; everything local is addressed as 127.0.0.1.
  const issuer = `http://127.0.0.1:${server.address().port}`;
  server.issuer.url = issuer;
  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    jwksEndpoint: `${issuer}/jwks`,
    port: server.address().port,
    stop: () => server.stop(),
  };
}
