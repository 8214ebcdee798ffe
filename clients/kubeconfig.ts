/**
 * Just enough of kubeconfig to reach an API server the way kubectl does: the current context's server,
 * CA, and credentials — a bearer token, a client certificate, or an exec credential plugin (what EKS,
 * GKE and AKS kubeconfigs use). Parsing only; no network.
 */
import { execFile } from "child_process";
import { promisify } from "util";
import YAML, { YAMLError } from "yaml";

export interface KubeTarget {
  readonly server: string;
  readonly namespace?: string;
  readonly caPem?: string;
  readonly insecureSkipTlsVerify: boolean;
  readonly credentials: KubeCredentials;
}

export type KubeCredentials =
  | { readonly kind: "none" }
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "clientCertificate"; readonly certPem: string; readonly keyPem: string }
  | {
      readonly kind: "exec";
      readonly command: string;
      readonly args: readonly string[];
      readonly env: Readonly<Record<string, string>>;
    };

interface Named<T> {
  name: string;
  [key: string]: unknown;
  value?: T;
}
interface RawKubeconfig {
  "current-context"?: string;
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  users?: { name: string; user: Record<string, unknown> }[];
  contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
}

export class KubeconfigError extends Error {
  override readonly name = "KubeconfigError";
}

function fromBase64(value: unknown): string | undefined {
  return typeof value === "string" ? Buffer.from(value, "base64").toString("utf8") : undefined;
}

/** ` at line L, column C (CODE)` from the YAML parser's error, never the text around it. */
function whereInYaml(e: unknown): string {
  if (!(e instanceof YAMLError)) return "";
  const at = e.linePos?.[0];
  return `${at ? ` at line ${at.line}, column ${at.col}` : ""} (${e.code})`;
}

function byName<T extends { name: string }>(list: T[] | undefined, name: string, what: string): T {
  const found = list?.find((e) => e.name === name);
  if (!found) throw new KubeconfigError(`the kubeconfig has no ${what} named ${JSON.stringify(name)}`);
  return found;
}

/** The current context of a kubeconfig document (YAML text). File references (`*-file`) are not followed. */
export function parseKubeconfig(text: string): KubeTarget {
  let doc: RawKubeconfig;
  try {
    doc = YAML.parse(text) as RawKubeconfig;
  } catch (e) {
    // The parser's message quotes the offending line, which may hold a token: name the place only.
    throw new KubeconfigError(`the kubeconfig is not valid YAML${whereInYaml(e)}`);
  }
  if (!doc || typeof doc !== "object") throw new KubeconfigError("the kubeconfig is empty");
  const contextName = doc["current-context"];
  if (!contextName) throw new KubeconfigError("the kubeconfig has no current-context");
  const { context } = byName(doc.contexts, contextName, "context");
  const { cluster } = byName(doc.clusters, context.cluster, "cluster");
  const { user } = byName(doc.users, context.user, "user");
  const server = cluster.server;
  if (typeof server !== "string" || !/^https?:\/\//.test(server))
    throw new KubeconfigError(`cluster ${context.cluster} has no http(s) server URL`);
  return {
    server: server.replace(/\/$/, ""),
    ...(context.namespace ? { namespace: context.namespace } : {}),
    ...(cluster["certificate-authority-data"] ? { caPem: fromBase64(cluster["certificate-authority-data"]) } : {}),
    insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
    credentials: credentialsOf(user, context.user),
  };
}

function credentialsOf(user: Record<string, unknown>, name: string): KubeCredentials {
  if (typeof user.token === "string") return { kind: "token", token: user.token };
  const cert = fromBase64(user["client-certificate-data"]);
  const key = fromBase64(user["client-key-data"]);
  if (cert && key) return { kind: "clientCertificate", certPem: cert, keyPem: key };
  const exec = user.exec as { command?: string; args?: string[]; env?: Named<string>[] } | undefined;
  if (exec?.command) {
    const env = Object.fromEntries((exec.env ?? []).map((e) => [e.name, String(e.value ?? "")]));
    return { kind: "exec", command: exec.command, args: exec.args ?? [], env };
  }
  if (Object.keys(user).length === 0) return { kind: "none" };
  throw new KubeconfigError(`user ${name}: only token, client certificate data and exec credentials are supported`);
}

interface ExecCredential {
  status?: { token?: string; expirationTimestamp?: string };
}

/** Runs an exec credential plugin (e.g. `aws eks get-token`) and returns its bearer token. */
export async function execToken(
  creds: Extract<KubeCredentials, { kind: "exec" }>,
): Promise<{ token: string; expiresAt?: number }> {
  const run = promisify(execFile);
  let stdout: string;
  try {
    ({ stdout } = await run(creds.command, [...creds.args], {
      env: { ...process.env, ...creds.env },
      timeout: 30_000,
    }));
  } catch (e) {
    // Node's message carries the plugin's stderr and arguments; either may hold a credential.
    const { code, signal, killed } = e as { code?: unknown; signal?: unknown; killed?: boolean };
    const how = killed
      ? "timed out after 30 s"
      : signal
        ? `was killed by ${String(signal)}`
        : `failed (${String(code)})`;
    throw new KubeconfigError(`the exec credential plugin ${creds.command} ${how}; run it by hand to see why`);
  }
  let parsed: ExecCredential;
  try {
    parsed = JSON.parse(stdout) as ExecCredential;
  } catch {
    // JSON.parse quotes the text it choked on: the plugin's output is a credential.
    throw new KubeconfigError(`the exec credential plugin ${creds.command} did not print an ExecCredential (JSON)`);
  }
  const token = parsed.status?.token;
  if (!token) throw new KubeconfigError(`the exec credential plugin ${creds.command} returned no token`);
  const expiresAt = parsed.status?.expirationTimestamp ? Date.parse(parsed.status.expirationTimestamp) : undefined;
  return { token, ...(expiresAt ? { expiresAt } : {}) };
}
