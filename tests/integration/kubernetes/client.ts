// A minimal HTTP client for the emulator tests: plain fetch with the kubeconfig's bearer token, and a
// watch reader that collects the stream's JSON lines.
import * as http from "node:http";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { KubernetesApi, KubernetesApiOptions } from "../../../local/kubernetes";
import { startKubernetesApi } from "../../../local/kubernetes";

export interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
  body: any;
}

export const GW_BASE = "/apis/platform.confluent.io/v1beta1/namespaces/default/gateways";

export async function startTestApi(opts: KubernetesApiOptions = {}): Promise<KubernetesApi> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-emulator-test-"));
  return startKubernetesApi({ stateDir, ...opts });
}

export async function call(
  api: KubernetesApi,
  method: string,
  p: string,
  body?: unknown,
  contentType = "application/json",
  token = api.token,
): Promise<Reply> {
  const res = await fetch(api.url + p, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": contentType },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export function gateway(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: "platform.confluent.io/v1beta1", kind: "Gateway", metadata: { name: "gw", ...extra }, spec };
}

export function applyGateway(api: KubernetesApi, manager: string, obj: unknown, query = ""): Promise<Reply> {
  return call(api, "PATCH", `${GW_BASE}/gw?fieldManager=${manager}${query}`, obj, "application/apply-patch+yaml");
}

export interface WatchReader {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- events are arbitrary JSON
  events: any[];
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): void;
}

export function watch(api: KubernetesApi, p: string): Promise<WatchReader> {
  return new Promise((resolve, reject) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const events: any[] = [];
    let buf = "";
    const req = http.get(api.url + p, { headers: { Authorization: `Bearer ${api.token}` } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`watch answered ${res.statusCode}`));
        return;
      }
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim()) events.push(JSON.parse(line));
        }
      });
      res.on("error", () => undefined);
      resolve({
        events,
        async waitFor(n: number, timeoutMs = 3000) {
          const deadline = Date.now() + timeoutMs;
          while (events.length < n) {
            if (Date.now() > deadline)
              throw new Error(
                `watch saw ${events.length} events, wanted ${n}: ${JSON.stringify(events.map((e) => e.type))}`,
              );
            await new Promise((r) => setTimeout(r, 10));
          }
        },
        close() {
          req.destroy();
        },
      });
    });
    req.on("error", () => undefined);
  });
}
