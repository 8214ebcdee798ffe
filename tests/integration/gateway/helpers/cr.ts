import type { KafkaPairEndpoints } from "../../../../local/kafka";
import {
  scramCredentialFromPassword,
  ScramVerifierStore,
  verifiersSecretName,
  type GatewaySpec,
  type RouteSpec,
  type ScramCredential,
  type ScramMechanism,
  type SecretObject,
} from "../../../../local/gateway";

// The names components/gatewaySpec.ts derives for a Gateway called "gw" (gatewaySecretNames, secretStoreName).
export const STORE = "gw-store";
export const STORE_CONFIG = "gw-file-store-config";
export const SWAP_SECRET = "gw-swap-credentials";
export const PLAIN_JAAS = "gw-plain-jaas";
export const CLIENT_TLS = "gw-client-tls";
export const CN_RULE = "RULE:^CN=([^,]+).*$/$1/";
export const PLAIN_JAAS_TEMPLATE =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="%s" password="%s";';

export interface RouteOptions {
  name: string;
  port: number;
  domain: "source" | "destination";
  auth?: "passthrough" | "swap";
  /** `client.authentication.type` of a swap route (default scram). */
  client?: "scram" | "plain" | "mtls";
  /** `scram.alterScramCredentials: true`: the SCRAM registration route. */
  registration?: boolean;
  /** `client.tls.secretRef` on a SASL route: SASL_SSL in (mTLS routes always have it). */
  clientTls?: boolean;
  fenced?: boolean;
}

/**
 * A swap route's security, as components/gatewaySpec.ts `swapSecurity` writes it (File store, plain-jaas out;
 * mTLS in: the client TLS Secret and the CN rule).
 */
export function swapSecurity(
  client: "scram" | "plain" | "mtls" = "scram",
  registration = false,
): NonNullable<RouteSpec["security"]> {
  return {
    auth: "swap",
    secretStore: STORE,
    client:
      client === "mtls"
        ? {
            tls: { secretRef: CLIENT_TLS },
            authentication: {
              type: "mtls",
              mtls: { principalMappingRules: [CN_RULE], sslClientAuthentication: "required" },
            },
          }
        : {
            authentication:
              client === "scram"
                ? { type: "scram", scram: { alterScramCredentials: registration } }
                : { type: "plain" },
          },
    cluster: { authentication: { type: "plain", jaasConfigPassThrough: { secretRef: PLAIN_JAAS } } },
  };
}

function withClientTls(security: NonNullable<RouteSpec["security"]>, on: boolean): NonNullable<RouteSpec["security"]> {
  if (!on) return security;
  return { ...security, client: { ...security.client, tls: { secretRef: CLIENT_TLS } } };
}

/** A Gateway spec with both clusters as streaming domains and the given routes (the shape of research §3.1). */
export function gatewaySpec(endpoints: KafkaPairEndpoints, routes: RouteOptions[], configId?: string): GatewaySpec {
  return {
    ...(configId ? { configId, hotReload: { enabled: true } } : {}),
    secretStores: [
      { name: STORE, provider: { type: "File", configSecretRef: STORE_CONFIG, clientCredentialsRef: SWAP_SECRET } },
    ],
    streamingDomains: [
      {
        name: "source",
        type: "kafka",
        kafkaCluster: {
          bootstrapServers: [{ id: "SOURCE", endpoint: `SASL_PLAINTEXT://${endpoints.source.bootstrap}` }],
          nodeIdRanges: [{ name: "pool", start: 0, end: 1 }],
        },
      },
      {
        name: "destination",
        type: "kafka",
        kafkaCluster: {
          bootstrapServers: [{ id: "DESTINATION", endpoint: `SASL_PLAINTEXT://${endpoints.destination.bootstrap}` }],
          nodeIdRanges: [{ name: "pool", start: 0, end: 1 }],
        },
      },
    ],
    routes: routes.map(
      (r): RouteSpec => ({
        name: r.name,
        endpoint: `127.0.0.1:${r.port}`,
        brokerIdentificationStrategy: { type: "port" },
        streamingDomain: { name: r.domain, bootstrapServerId: r.domain === "source" ? "SOURCE" : "DESTINATION" },
        security: withClientTls(
          (r.auth ?? "passthrough") === "swap" ? swapSecurity(r.client, r.registration) : { auth: "passthrough" },
          r.clientTls === true,
        ),
        ...(r.fenced ? { fence: { scope: "ALL", errorCode: "BROKER_NOT_AVAILABLE" } } : {}),
      }),
    ),
  };
}

/**
 * The Secrets a File secret store and a plain cluster login read: `separator`, principal →
 * `<apiKey><sep><apiSecret>`, and the `plain-jaas.conf` template. `stringData`, as Pulumi declares them.
 */
export function swapSecrets(
  principals: Record<string, { apiKey: string; apiSecret: string }>,
  opts: { separator?: string; jaas?: string } = {},
): SecretObject[] {
  const separator = opts.separator ?? "/";
  return [
    { metadata: { name: STORE_CONFIG }, stringData: { separator } },
    {
      metadata: { name: SWAP_SECRET },
      stringData: Object.fromEntries(
        Object.entries(principals).map(([p, c]) => [p, `${c.apiKey}${separator}${c.apiSecret}`]),
      ),
    },
    { metadata: { name: PLAIN_JAAS }, stringData: { "plain-jaas.conf": opts.jaas ?? PLAIN_JAAS_TEMPLATE } },
  ];
}

/** The client TLS Secret in CFK's PEM form, base64 `data` as the Kubernetes API returns it. */
export function clientTlsSecret(material: { cert: string; key: string; ca: string }): SecretObject {
  const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
  return {
    metadata: { name: CLIENT_TLS },
    data: { "fullchain.pem": b64(material.cert), "privkey.pem": b64(material.key), "cacerts.pem": b64(material.ca) },
  };
}

/** The verifiers Secret the gateway writes after registrations, pre-filled: user → password (SCRAM-SHA-512 and -256). */
export function registeredScramUsers(users: Record<string, string>): SecretObject {
  const verifiers = new Map<string, Map<ScramMechanism, ScramCredential>>();
  for (const [user, password] of Object.entries(users)) {
    verifiers.set(
      user,
      new Map([
        ["SCRAM-SHA-512", scramCredentialFromPassword(password, 4096, undefined, "SCRAM-SHA-512")],
        ["SCRAM-SHA-256", scramCredentialFromPassword(password, 4096, undefined, "SCRAM-SHA-256")],
      ]),
    );
  }
  return ScramVerifierStore.encode(verifiersSecretName(SWAP_SECRET), verifiers);
}
