/**
 * The Kubernetes adapter survives its API server going away: while it is down the routes keep serving; a new
 * (empty) emulator on another port, with the kubeconfig rewritten at the same path, is found, re-listed (the
 * CR is gone there, so its routes stop), and a CR applied to it is served and reported there.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startKubernetesGateway, type RunningKubernetesGateway } from "../../../local/gateway";
import { startKubernetesApi, type KubernetesApi } from "../../../local/kubernetes";
import { waitUntil } from "../helpers";
import { gatewaySpec } from "./helpers/cr";
import { freePortBlock, kafkaPair, type PairHandle } from "./helpers/env";
import { applyGateway, ready, waitForStatus } from "./helpers/kube";

let pair: PairHandle;
let stateDir: string;
let api: KubernetesApi;
let gateway: RunningKubernetesGateway;

beforeAll(async () => {
  pair = await kafkaPair();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-k8s-restart-"));
  api = await startKubernetesApi({ stateDir });
  gateway = await startKubernetesGateway({ stateDir: pair.stateDir, kubeconfig: api.kubeconfigPath });
});

afterAll(async () => {
  await gateway?.stop();
  await api?.stop();
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  await pair?.stop();
});

it("re-lists from the restarted API server the kubeconfig now names", async () => {
  const port = await freePortBlock(3);
  await applyGateway(
    api,
    "gw",
    gatewaySpec(pair.endpoints, [{ name: "app", port, domain: "source" }], "first"),
    "pulumi",
  );
  await waitForStatus(api, "gw", (s) => ready(s).status === "True");
  expect(gateway.controller.routes().app?.domain).toBe("source");

  const { token, url: oldUrl } = api;
  await api.stop();
  await new Promise((r) => setTimeout(r, 500));
  expect(gateway.controller.routes().app?.domain).toBe("source");

  api = await startKubernetesApi({ stateDir, token });
  expect(api.url).not.toBe(oldUrl);
  await waitUntil(() => gateway.controller.routes().app === undefined, {
    timeoutMs: 20_000,
    what: "routes of the vanished CR stopped",
  });
  expect(gateway.controller.client.server).toBe(api.httpsUrl);

  await applyGateway(
    api,
    "gw",
    gatewaySpec(pair.endpoints, [{ name: "app", port, domain: "destination" }], "second"),
    "pulumi",
  );
  const cr = await waitForStatus(api, "gw", (s) => ready(s).status === "True");
  expect(cr.status).toMatchObject({ observedGeneration: 1 });
  expect(cr.spec.configId).toBe("second");
  expect(gateway.controller.routes().app).toMatchObject({ domain: "destination", generation: 1 });
});
