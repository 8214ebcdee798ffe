import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** What a client needs from a kubeconfig's current (or named) context to reach the API server. */
export interface KubeConnection {
  server: string;
  namespace: string;
  token?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecureSkipTlsVerify: boolean;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (o: Obj | undefined, k: string): string | undefined =>
  o && typeof o[k] === "string" ? (o[k] as string) : undefined;

function named(list: unknown, name: string | undefined, what: string, file: string): Obj {
  const entry = Array.isArray(list) ? list.find((e): e is Obj => isObj(e) && e.name === name) : undefined;
  if (!entry) throw new Error(`kubeconfig ${file}: no ${what} ${JSON.stringify(name)}`);
  const body = entry[what];
  return isObj(body) ? body : {};
}

/** `<key>-data` (base64) wins over `<key>` (a file path, relative to the kubeconfig), as in client-go. */
function material(o: Obj, key: string, dir: string): Buffer | undefined {
  const data = str(o, `${key}-data`);
  if (data) return Buffer.from(data, "base64");
  const file = str(o, key);
  return file ? fs.readFileSync(path.resolve(dir, file)) : undefined;
}

export function readKubeconfig(file: string, context?: string): KubeConnection {
  const doc: unknown = parse(fs.readFileSync(file, "utf8"));
  if (!isObj(doc)) throw new Error(`kubeconfig ${file}: not a mapping`);
  const dir = path.dirname(file);
  const ctx = named(doc.contexts, context ?? str(doc, "current-context"), "context", file);
  const cluster = named(doc.clusters, str(ctx, "cluster"), "cluster", file);
  const user = str(ctx, "user") ? named(doc.users, str(ctx, "user"), "user", file) : {};
  const server = str(cluster, "server");
  if (!server) throw new Error(`kubeconfig ${file}: cluster ${str(ctx, "cluster")} has no server`);
  const tokenFile = str(user, "tokenFile");
  const token =
    str(user, "token") ?? (tokenFile ? fs.readFileSync(path.resolve(dir, tokenFile), "utf8").trim() : undefined);
  return {
    server: server.replace(/\/+$/, ""),
    namespace: str(ctx, "namespace") ?? "default",
    ...(token ? { token } : {}),
    ca: material(cluster, "certificate-authority", dir),
    cert: material(user, "client-certificate", dir),
    key: material(user, "client-key", dir),
    insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
  };
}
