import { randomBytes, timingSafeEqual } from "node:crypto";
import type { ClientMechanism, SwapAuth } from "../proxy/config";
import {
  scramCredentialFromPassword,
  type ClusterCredentials,
  type ScramCredential,
  type ScramMechanism,
} from "./credentials";
import type { OAuthJaasTemplate, PlainJaasTemplate } from "./jaas";
import type { OAuthTokenCache } from "./oauthTokens";
import { mapPrincipal, type MappingRule } from "./principalMapping";
import type { ScramVerifierStore } from "./scramVerifiers";

export type ClientAuthType = "scram" | "plain" | "mtls";

/** `cluster.authentication`: how the gateway signs a principal in upstream. */
export type ClusterSide =
  | { type: "plain"; jaas: PlainJaasTemplate }
  | {
      type: "oauth";
      /** `oauth-jaas.conf`: the store entry fills its clientId and clientSecret. */
      jaas: OAuthJaasTemplate;
      /** `oauthSettings.tokenEndpointUri`. */
      tokenEndpoint: string;
      /** The JVM property `org.apache.kafka.sasl.oauthbearer.allowed.urls` from `podTemplate` GATEWAY_OPTS. */
      allowedUrls: string | undefined;
      tokens: OAuthTokenCache;
    };

export interface SwapAuthOptions {
  /** `client.authentication.type`; undefined (an emulator default) offers SCRAM and PLAIN. */
  client: ClientAuthType | undefined;
  /** The secret store's client principal → destination API key/secret. */
  credentials: { get(principal: string): ClusterCredentials | undefined; readonly clientCredentialsSecret: string };
  verifiers: ScramVerifierStore;
  /** The cluster side: PLAIN with the `plain-jaas.conf` template, or OAUTHBEARER. */
  cluster: ClusterSide;
  /** `client.authentication.scram.alterScramCredentials: true`: the SCRAM registration route. */
  registration: boolean;
  /** `client.authentication.mtls.principalMappingRules`, parsed (mTLS in only). */
  principalMappingRules?: readonly MappingRule[];
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The emulator's auth-swap rules:
 * - SCRAM in: verified against the verifiers registered through the registration route.
 * - PLAIN in: the username must be a principal of the secret store and the password its API secret (an
 *   emulator choice: where the real Gateway verifies PLAIN-in passwords is not documented in our research).
 * - mTLS in: no SASL at all; the verified certificate's subject, through the principal mapping rules, is the
 *   principal (Kafka's SSL listener behaviour).
 * - Registration route: clients may also sign in with PLAIN or SCRAM using a store principal's API secret as
 *   password (SCRAM falls back to that only while the principal has no registered credential), so the first
 *   registration needs nothing registered before it; registered users may sign in with their own password.
 * - Upstream: every principal signs in to the cluster with SASL/PLAIN, username/password from the jaas template
 *   filled with its API key and secret, or with SASL/OAUTHBEARER, with a token the store entry's OAuth client
 *   (client id / secret) gets from the token endpoint; a principal missing from the store is refused at login.
 */
export function swapAuth(opts: SwapAuthOptions): SwapAuth {
  const { credentials, verifiers, registration } = opts;
  const side = opts.cluster;
  const mtls = opts.client === "mtls";
  const scramIn = opts.client !== "plain" && !mtls;
  const plainIn = (opts.client !== "scram" && !mtls) || registration;
  const mechanisms: ClientMechanism[] = [
    ...(scramIn ? (["SCRAM-SHA-512", "SCRAM-SHA-256"] as const) : []),
    ...(plainIn ? (["PLAIN"] as const) : []),
  ];
  const derived = new Map<string, ScramCredential>();
  const fromApiSecret = (mechanism: ScramMechanism, username: string): ScramCredential | undefined => {
    const secret = credentials.get(username)?.apiSecret;
    if (secret === undefined) return undefined;
    const key = `${mechanism}\u0000${username}\u0000${secret}`;
    let credential = derived.get(key);
    if (!credential)
      derived.set(key, (credential = scramCredentialFromPassword(secret, 4096, randomBytes(24), mechanism)));
    return credential;
  };
  return {
    mode: "swap",
    mechanisms,
    plain: (username, password) => {
      const secret = credentials.get(username)?.apiSecret;
      return plainIn && secret !== undefined && sameSecret(secret, password);
    },
    scram: (mechanism, username) => {
      if (!scramIn) return undefined;
      return verifiers.get(username, mechanism) ?? (registration ? fromApiSecret(mechanism, username) : undefined);
    },
    cluster: (principal) => {
      const c = credentials.get(principal);
      if (!c) return `principal ${principal} has no entry in secret ${credentials.clientCredentialsSecret}`;
      if (side.type === "plain") return side.jaas.fill(c.apiKey, c.apiSecret);
      const client = side.jaas.fill(c.apiKey, c.apiSecret);
      const request = { ...client, tokenEndpoint: side.tokenEndpoint, allowedUrls: side.allowedUrls };
      return { oauthClient: client.clientId, extensions: client.extensions, token: () => side.tokens.token(request) };
    },
    ...(mtls
      ? {
          certificatePrincipal: (subject: string) =>
            mapPrincipal(opts.principalMappingRules ?? [{ kind: "default" }], subject),
        }
      : {}),
    ...(registration
      ? { registrar: { alter: (deletions, upsertions) => verifiers.alter(deletions, upsertions) } }
      : {}),
  };
}
