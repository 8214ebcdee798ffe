/**
 * The operator rejects a Gateway spec naming an undeclared streaming domain or a missing secret with a
 * Ready=False/ApplyFailed condition that says why (and keeps the running config), and reports a valid spec
 * with Ready=True, observedGeneration = generation and the applied configId.
 */
import {
  InMemoryGateway,
  InMemorySecrets,
  startGateway,
  type GatewaySpec,
  type RunningGateway,
} from "../../../local/gateway";
import { gatewaySpec, PLAIN_JAAS, STORE, SWAP_SECRET, swapSecrets } from "./helpers/cr";
import { freePortBlock, kafkaPair, type PairHandle } from "./helpers/env";

let pair: PairHandle;
let gateway: RunningGateway;
const cr = new InMemoryGateway("gw");
const secrets = new InMemorySecrets();
let port: number;

beforeAll(async () => {
  pair = await kafkaPair();
  port = await freePortBlock(3);
  cr.apply(gatewaySpec(pair.endpoints, [{ name: "app", port, domain: "source" }], "init"));
  gateway = await startGateway({ stateDir: pair.stateDir, source: cr, status: cr, secrets });
});

afterAll(async () => {
  await gateway?.stop();
  await pair?.stop();
});

it("reports cluster-ready True with observedGeneration for a valid spec, and the pods then serve its configId", async () => {
  await gateway.operator?.idle();
  await gateway.dataPlane.waitSettled();
  expect(gateway.dataPlane.snapshot().pods.map((p) => p.configId)).toEqual(["init", "init", "init"]);
  expect(cr.status).toMatchObject({
    observedGeneration: 1,
    conditions: [{ type: "platform.confluent.io/cluster-ready", status: "True", reason: "Applied" }],
  });
  expect(gateway.dataPlane.routeNames()).toEqual(["app"]);
});

it("reports ApplyFailed for an unknown streaming domain and a missing secret, keeping the old config", async () => {
  const spec: GatewaySpec = gatewaySpec(
    pair.endpoints,
    [{ name: "app", port, domain: "destination", auth: "swap" }],
    "bad",
  );
  spec.routes?.push({
    ...(spec.routes[0] ?? {}),
    name: "ghost",
    endpoint: `127.0.0.1:${port + 10}`,
    streamingDomain: { name: "nowhere" },
  });
  cr.apply(spec);
  await gateway.operator?.idle();
  await gateway.dataPlane.waitSettled();
  const ready = cr.status?.conditions?.[0];
  expect(ready).toMatchObject({ type: "platform.confluent.io/cluster-ready", status: "False", reason: "ApplyFailed" });
  expect(ready?.message).toContain(`secretRef ${SWAP_SECRET} of secretStore ${STORE} not found`);
  expect(ready?.message).toContain("streamingDomain nowhere is not declared");
  expect(ready?.message).toContain(`secretRef ${PLAIN_JAAS} not found`);
  expect(cr.status?.observedGeneration).toBe(2);
  expect(gateway.dataPlane.snapshot().pods.map((p) => p.configId)).toEqual(["init", "init", "init"]);
  expect(gateway.dataPlane.desiredRoute("app")?.target.domain).toBe("source");
});

it("applies the same spec once the secret exists (the secret watch re-triggers reconcile)", async () => {
  const { destination } = pair.endpoints;
  cr.apply(gatewaySpec(pair.endpoints, [{ name: "app", port, domain: "destination", auth: "swap" }], "good"));
  for (const s of swapSecrets({ u: { apiKey: destination.apiKey, apiSecret: destination.apiSecret } })) secrets.put(s);
  await gateway.operator?.idle();
  await gateway.dataPlane.waitSettled();
  expect(cr.status).toMatchObject({ observedGeneration: 3, conditions: [{ status: "True" }] });
  expect(gateway.dataPlane.snapshot().pods.map((p) => p.configId)).toEqual(["good", "good", "good"]);
  expect(gateway.dataPlane.desiredRoute("app")?.target.domain).toBe("destination");
});
