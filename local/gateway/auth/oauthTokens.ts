/**
 * OAUTHBEARER out, the client half as Kafka's OAuthBearerLoginModule does it: the token endpoint must be listed
 * in the JVM property `org.apache.kafka.sasl.oauthbearer.allowed.urls` (Kafka 4.x: exact match after trimming
 * each comma-separated entry, empty by default, so nothing is allowed unless listed); tokens come from the
 * client-credentials grant (HTTP Basic with the form-encoded id and secret); one token per OAuth client is
 * shared by every connection and replaced once 80 % of its lifetime has passed (Kafka's refresh window factor).
 * Error texts follow Kafka's so an operator recognises them.
 */
import type { OAuthClientLogin } from "./jaas";

export const OAUTH_ALLOWED_URLS_PROPERTY = "org.apache.kafka.sasl.oauthbearer.allowed.urls";
const REFRESH_WINDOW_FACTOR = 0.8;

/** The `-D<property>=<value>` system properties a GATEWAY_OPTS value sets (the last one wins, as on a java command line). */
export function systemProperties(gatewayOpts: string | undefined): Map<string, string> {
  const props = new Map<string, string>();
  for (const word of (gatewayOpts ?? "").split(/\s+/)) {
    const m = /^-D([^=]+)=(.*)$/.exec(word);
    if (m) props.set(m[1], m[2]);
    else if (/^-D[^=]+$/.test(word)) props.set(word.slice(2), "");
  }
  return props;
}

/** Kafka's check, with its message: the URL must be one of the property's comma-separated entries. */
export function checkAllowedUrl(configName: string, url: string, allowedUrls: string | undefined): void {
  const allowed = new Set((allowedUrls ?? "").split(",").map((u) => u.trim()));
  if (!allowed.has(url))
    throw new Error(
      `Invalid value ${url} for configuration ${configName}: The URL cannot be accessed due to restrictions. ` +
        `Update the system property '${OAUTH_ALLOWED_URLS_PROPERTY}' to allow the URL to be accessed.`,
    );
}

/** RFC 7628 §3.1 client first message, as Kafka's OAuthBearerClientInitialResponse writes it (no authzid). */
export function oauthBearerClientFirstMessage(token: string, extensions: Readonly<Record<string, string>>): Buffer {
  const kv = Object.entries(extensions).map(([k, v]) => `\u0001${k}=${v}`);
  return Buffer.from(`n,,\u0001auth=Bearer ${token}${kv.join("")}\u0001\u0001`, "utf8");
}

export interface TokenRequest extends OAuthClientLogin {
  tokenEndpoint: string;
  /** The Gateway JVM's allowed-URLs property (from GATEWAY_OPTS); undefined: not set, so nothing is allowed. */
  allowedUrls: string | undefined;
}

interface Token {
  value: string;
  /** ms since the epoch */
  receivedAt: number;
  expiresAt: number;
}

export function jwtClaims(token: string): Record<string, unknown> {
  const parts = token.split(".");
  if (parts.length !== 3)
    throw new Error("Malformed JWT provided; expected three sections (header, payload, and signature)");
  try {
    return JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    throw new Error("Malformed JWT provided; the payload section is not JSON");
  }
}

function errorResponse(body: string): string {
  try {
    const e = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    if (typeof e.error === "string")
      return typeof e.error_description === "string" ? `{${e.error} - ${e.error_description}}` : `{${e.error}}`;
  } catch {
    // not JSON: quoted as is
  }
  return body;
}

async function fetchToken(r: TokenRequest): Promise<Token> {
  const form = (s: string): string => encodeURIComponent(s).replace(/%20/g, "+");
  const basic = Buffer.from(`${form(r.clientId)}:${form(r.clientSecret)}`, "utf8").toString("base64");
  const body = `grant_type=client_credentials${r.scope !== undefined ? `&scope=${form(r.scope)}` : ""}`;
  let res: Response;
  try {
    res = await fetch(r.tokenEndpoint, {
      method: "POST",
      headers: {
        authorization: `Basic ${basic}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw new Error(`the token endpoint ${r.tokenEndpoint} could not be reached: ${cause}`);
  }
  const text = await res.text();
  if (res.status >= 400 && res.status < 500)
    throw new Error(
      `The response code ${res.status} and error response ${errorResponse(text)} was encountered reading the token endpoint response; will not attempt further retries`,
    );
  if (res.status < 200 || res.status >= 300)
    throw new Error(
      `The unexpected response code ${res.status} and error message ${errorResponse(text)} was encountered reading the token endpoint response`,
    );
  let accessToken: unknown;
  try {
    accessToken = (JSON.parse(text) as { access_token?: unknown }).access_token;
  } catch {
    throw new Error(`the token endpoint ${r.tokenEndpoint} answered with something other than JSON`);
  }
  if (typeof accessToken !== "string" || accessToken === "")
    throw new Error("The token endpoint response did not contain an access_token value");
  // Kafka's client-side check (ClientJwtValidator): a JWT with exp and sub; its lifetime is what exp says.
  const claims = jwtClaims(accessToken);
  if (typeof claims.exp !== "number") throw new Error("The exp claim of the access token is missing or not a number");
  if (typeof claims.sub !== "string" || claims.sub === "")
    throw new Error("The sub claim of the access token is missing or empty");
  return { value: accessToken, receivedAt: Date.now(), expiresAt: claims.exp * 1000 };
}

/** One cached token per (endpoint, client, scope): what one Kafka login (one filled JAAS config) holds. */
export class OAuthTokenCache {
  private readonly tokens = new Map<string, Token>();
  private readonly fetching = new Map<string, Promise<Token>>();

  constructor(private readonly log: (message: string) => void = () => undefined) {}

  /** The current token for `r`, fetched or refreshed as needed; throws with the reason a login would fail. */
  async token(r: TokenRequest): Promise<string> {
    checkAllowedUrl("sasl.oauthbearer.token.endpoint.url", r.tokenEndpoint, r.allowedUrls);
    const key = JSON.stringify([r.tokenEndpoint, r.clientId, r.clientSecret, r.scope ?? null]);
    const cached = this.tokens.get(key);
    const now = Date.now();
    if (cached && now < cached.receivedAt + (cached.expiresAt - cached.receivedAt) * REFRESH_WINDOW_FACTOR)
      return cached.value;
    let pending = this.fetching.get(key);
    if (!pending) {
      pending = fetchToken(r).finally(() => this.fetching.delete(key));
      this.fetching.set(key, pending);
      pending.then(
        (t) => {
          this.tokens.set(key, t);
          const life = Math.round((t.expiresAt - t.receivedAt) / 1000);
          this.log(
            `${cached ? "refreshed" : "fetched"} the token of OAuth client ${r.clientId} from ${r.tokenEndpoint}` +
              ` (expires in ${life} s)`,
          );
        },
        (err: Error) => {
          this.tokens.delete(key);
          this.log(`OAuth client ${r.clientId}: no token from ${r.tokenEndpoint}: ${err.message}`);
        },
      );
    }
    return (await pending).value;
  }
}
