/**
 * OAUTHBEARER out, checked before anything changes: after the switch the Gateway signs every client of the route
 * in with the OAuth client its secret store holds, so the preflight asks the route's token endpoint for a token
 * with those credentials (a wrong secret is refused now, not with clients fenced after promotion), and checks that
 * the Gateway's JVM may call that endpoint (GATEWAY_OPTS' allowed-URLs property, which Kafka 4 clients enforce).
 * What it cannot check from here: that the pods reach the endpoint, and that the destination accepts the token
 * (its identity pool and ACLs); the canary after the switch does.
 */
import type { KubeObject, KubernetesClient } from "../../clients/kubernetes";
import type { RouteSpec } from "../../components/gatewaySpec";
import { OAUTH_ALLOWED_URLS } from "../../components/gatewaySpec";

interface SecretView extends KubeObject {
  data?: Record<string, string>;
}

interface LiveSpec {
  podTemplate?: { envVars?: { name: string; value?: string }[] };
  secretStores?: { name: string; provider?: { configSecretRef?: string; clientCredentialsRef?: string } }[];
}

const FIX =
  "set the right one with pulumi config set --secret kafka-cutover:swapOAuthClientSecret <value> (and swapOAuthClientId), run pulumi up with cutover: false for this group, then cut over";

/** The URLs a GATEWAY_OPTS value allows, as Kafka reads the property: comma-separated, each entry trimmed. */
function allowedUrls(spec: LiveSpec): string[] {
  const opts = spec.podTemplate?.envVars?.find((v) => v.name === "GATEWAY_OPTS")?.value ?? "";
  let value = "";
  for (const word of opts.split(/\s+/))
    if (word.startsWith(`-D${OAUTH_ALLOWED_URLS}=`)) value = word.split("=")[1] ?? "";
  return value.split(",").map((u) => u.trim());
}

async function secretValues(k8s: KubernetesClient, namespace: string, name: string): Promise<Record<string, string>> {
  const secret = await k8s.get<SecretView>(`/api/v1/namespaces/${namespace}/secrets/${name}`);
  return Object.fromEntries(
    Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
}

/** Asks for a token; returns undefined when granted, else why not (refused: the credentials; unreachable: here). */
async function askForToken(
  url: string,
  clientId: string,
  clientSecret: string,
): Promise<{ kind: "refused" | "unreachable"; reason: string } | undefined> {
  const form = (s: string): string => encodeURIComponent(s).replace(/%20/g, "+");
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${form(clientId)}:${form(clientSecret)}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message;
    return { kind: "unreachable", reason: cause };
  }
  const text = await res.text();
  if (res.status >= 200 && res.status < 300) {
    try {
      if (typeof (JSON.parse(text) as { access_token?: unknown }).access_token === "string") return undefined;
    } catch {
      // reported below
    }
    return { kind: "refused", reason: `HTTP ${res.status} without an access_token` };
  }
  let error = "";
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    error = [body.error, body.error_description].filter((x) => typeof x === "string").join(": ");
  } catch {
    // not JSON: the status says enough
  }
  return {
    kind: res.status >= 500 ? "unreachable" : "refused",
    reason: `HTTP ${res.status}${error ? ` ${error}` : ""}`,
  };
}

export async function checkOAuthOut(
  k8s: KubernetesClient,
  namespace: string,
  live: Record<string, unknown>,
  destinationRoute: RouteSpec,
  group: string,
  block: (property: string, reason: string) => void,
  notes: string[],
): Promise<void> {
  const auth = destinationRoute.security.cluster?.authentication as
    | { type?: string; oauthSettings?: { tokenEndpointUri?: string } }
    | undefined;
  if (auth?.type !== "oauth") return;
  const liveSpec = live as LiveSpec;
  const url = auth.oauthSettings?.tokenEndpointUri;
  if (!url) {
    block("gateway", "the route's OAuth sign-in has no token endpoint (kafka-cutover:gateway.swap.tokenEndpointUri)");
    return;
  }
  if (!allowedUrls(liveSpec).includes(url))
    block(
      "gateway",
      `the Gateway's GATEWAY_OPTS does not list ${url} in ${OAUTH_ALLOWED_URLS}, so its pods would refuse to fetch tokens after the switch; run pulumi up with cutover: false for group ${group} first, so the Gateway CR carries it`,
    );
  const store = liveSpec.secretStores?.find((s) => s.name === destinationRoute.security.secretStore);
  const credentialsRef = store?.provider?.clientCredentialsRef;
  if (!credentialsRef) return; // the Gateway's own checks (missing store) report it
  const separator =
    (store?.provider?.configSecretRef
      ? (await secretValues(k8s, namespace, store.provider.configSecretRef)).separator?.replace(/\r?\n$/, "")
      : undefined) || "/";
  const clients = new Map<string, string>();
  for (const value of Object.values(await secretValues(k8s, namespace, credentialsRef))) {
    const at = value.trim().indexOf(separator);
    if (at > 0) clients.set(value.trim().slice(0, at), value.trim().slice(at + separator.length));
  }
  for (const [clientId, clientSecret] of clients) {
    const problem = await askForToken(url, clientId, clientSecret);
    if (!problem) notes.push(`OAuth client ${clientId} gets tokens from ${url}`);
    else if (problem.kind === "refused")
      block(
        "gateway",
        `the token endpoint ${url} refused OAuth client ${clientId} (${problem.reason}), whose credentials the Gateway's Secret ${namespace}/${credentialsRef} holds: after the switch the Gateway could sign no client of group ${group} in to the destination; ${FIX}`,
      );
    else
      notes.push(
        `the token endpoint ${url} could not be asked for a token of OAuth client ${clientId} from here (${problem.reason}); the Gateway's pods may still reach it: if they do not, the canary after the switch fails and the route stays fenced`,
      );
  }
}
