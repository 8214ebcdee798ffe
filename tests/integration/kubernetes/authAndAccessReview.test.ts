import * as fs from "node:fs";
import * as path from "node:path";
import type { KubernetesApi } from "../../../local/kubernetes";
import { denyRules } from "../../../local/kubernetes";
import { GW_BASE, applyGateway, call, gateway, startTestApi } from "./client";

let api: KubernetesApi;
afterEach(async () => {
  await api.stop();
});

function review(verb: string, resource: string, group: string) {
  return {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    spec: { resourceAttributes: { namespace: "default", verb, group, resource } },
  };
}
const SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

test("a wrong or missing bearer token gets 401 Unauthorized as a Status; the kubeconfig's token works", async () => {
  api = await startTestApi();
  const bad = await call(api, "GET", "/version", undefined, "application/json", "wrong");
  expect(bad.status).toBe(401);
  expect(bad.body).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
  expect((await call(api, "GET", GW_BASE, undefined, "application/json", "")).status).toBe(401);

  const kubeconfig = fs.readFileSync(api.kubeconfigPath, "utf8");
  expect(path.dirname(api.kubeconfigPath)).toBe(path.join(api.stateDir, "kubernetes"));
  expect(kubeconfig).toContain(`token: "${api.token}"`);
  expect(api.httpsUrl).toBe(api.url.replace("http:", "https:"));
  expect(kubeconfig).toContain(`server: "${api.httpsUrl}"`);
  expect(kubeconfig).toContain("certificate-authority-data: ");
  expect((await call(api, "GET", "/version")).status).toBe(200);
});

test("a token listed in the token-auth file works as the user's, from the moment it is added until it is removed", async () => {
  api = await startTestApi();
  const file = path.join(api.stateDir, "kubernetes", "tokens");
  const token = "added-token-7c41";
  expect((await call(api, "GET", "/version", undefined, "application/json", token)).status).toBe(401);
  fs.writeFileSync(file, `# token,user,uid\n${token},kafka-cutover-admin,test\n`);
  expect((await call(api, "GET", "/version", undefined, "application/json", token)).status).toBe(200);
  expect((await call(api, "GET", "/version")).status).toBe(200); // the kubeconfig's token still works
  fs.writeFileSync(file, "");
  expect((await call(api, "GET", "/version", undefined, "application/json", token)).status).toBe(401);
  // The request log says how a request authenticated, never with what.
  expect(fs.readFileSync(path.join(api.stateDir, "kubernetes", "requests.log"), "utf8")).not.toContain(token);
});

test("SelfSubjectAccessReview allows everything by default", async () => {
  api = await startTestApi();
  const r = await call(api, "POST", SSAR, review("patch", "gateways", "platform.confluent.io"));
  expect(r.status).toBe(201);
  expect(r.body.status.allowed).toBe(true);
});

test("a policy denying patch on gateways: the review says denied, get stays allowed, and the PATCH itself is 403", async () => {
  api = await startTestApi({ deny: ["patch:gateways.platform.confluent.io"] });
  const patch = await call(api, "POST", SSAR, review("patch", "gateways", "platform.confluent.io"));
  expect(patch.body.status).toMatchObject({ allowed: false, denied: true });
  const get = await call(api, "POST", SSAR, review("get", "gateways", "platform.confluent.io"));
  expect(get.body.status.allowed).toBe(true);
  const real = await applyGateway(api, "pulumi", gateway({ replicas: 1 }));
  expect(real.status).toBe(403);
  expect(real.body).toMatchObject({ kind: "Status", reason: "Forbidden", code: 403 });
});

test("the policy can be changed at run time", async () => {
  api = await startTestApi();
  api.setPolicy(denyRules(["get:secrets"]));
  const r = await call(api, "POST", SSAR, review("get", "secrets", ""));
  expect(r.body.status.allowed).toBe(false);
  expect((await call(api, "GET", "/api/v1/namespaces/default/secrets/x")).status).toBe(403);
});

test("every request is appended to requests.log with method, path, query, content type and status", async () => {
  api = await startTestApi();
  await applyGateway(api, "pulumi", gateway({ replicas: 1 }));
  await call(api, "GET", `${GW_BASE}/missing`);
  await api.stop();
  const lines = fs
    .readFileSync(path.join(api.stateDir, "kubernetes", "requests.log"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(lines).toEqual([
    expect.objectContaining({
      method: "PATCH",
      path: `${GW_BASE}/gw`,
      query: { fieldManager: "pulumi" },
      contentType: "application/apply-patch+yaml",
      status: 201,
    }),
    expect.objectContaining({ method: "GET", path: `${GW_BASE}/missing`, status: 404 }),
  ]);
  api = await startTestApi(); // afterEach stops it
});
