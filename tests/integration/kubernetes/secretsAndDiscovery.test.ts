import type { KubernetesApi } from "../../../local/kubernetes";
import { call, startTestApi } from "./client";

let api: KubernetesApi;
beforeEach(async () => {
  api = await startTestApi({ namespaces: ["confluent"] });
});
afterEach(async () => {
  await api.stop();
});

const SECRETS = "/api/v1/namespaces/confluent/secrets";

test("discovery lists the Gateway, Secret and SelfSubjectAccessReview resources with their verbs", async () => {
  const groups = await call(api, "GET", "/apis");
  expect(groups.body.groups.map((g: { name: string }) => g.name)).toEqual(
    expect.arrayContaining(["platform.confluent.io", "authorization.k8s.io", "apiextensions.k8s.io"]),
  );
  const gw = await call(api, "GET", "/apis/platform.confluent.io/v1beta1");
  expect(gw.body.resources).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        name: "gateways",
        kind: "Gateway",
        namespaced: true,
        verbs: expect.arrayContaining(["patch", "watch"]),
      }),
      expect.objectContaining({ name: "gateways/status" }),
    ]),
  );
  const core = await call(api, "GET", "/api/v1");
  expect(core.body.resources.map((r: { name: string }) => r.name)).toEqual(
    expect.arrayContaining(["secrets", "namespaces"]),
  );
  expect(
    (await call(api, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gateways.platform.confluent.io"))
      .status,
  ).toBe(200);
  expect((await call(api, "GET", "/openapi/v3")).status).toBe(404);
  expect((await call(api, "GET", "/api/v1/namespaces/confluent")).status).toBe(200);
});

test("secrets: create with stringData stores base64 data; duplicate create is AlreadyExists; labelSelector filters lists; delete removes", async () => {
  const c = await call(api, "POST", SECRETS, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "creds", labels: { app: "gw" } },
    stringData: { password: "p" },
  });
  expect(c.status).toBe(201);
  expect(c.body.data).toEqual({ password: Buffer.from("p").toString("base64") });
  expect(c.body.stringData).toBeUndefined();
  const dup = await call(api, "POST", SECRETS, { metadata: { name: "creds" } });
  expect(dup.body).toMatchObject({ kind: "Status", reason: "AlreadyExists", code: 409 });
  await call(api, "POST", SECRETS, { metadata: { name: "other" } });
  const byLabel = await call(api, "GET", `${SECRETS}?labelSelector=app%3Dgw`);
  expect(byLabel.body.items.map((s: { metadata: { name: string } }) => s.metadata.name)).toEqual(["creds"]);
  expect((await call(api, "DELETE", `${SECRETS}/creds`)).status).toBe(200);
  expect((await call(api, "GET", `${SECRETS}/creds`)).status).toBe(404);
});

test("a write into a namespace that does not exist is NotFound for the namespace", async () => {
  const r = await call(api, "POST", "/api/v1/namespaces/nowhere/secrets", { metadata: { name: "x" } });
  expect(r.status).toBe(404);
  expect(r.body).toMatchObject({ reason: "NotFound", details: { name: "nowhere", kind: "namespaces" } });
});

test("merge patch and JSON patch update a secret; a null JSON patch is a no-op; bad base64 is Invalid (422)", async () => {
  await call(api, "POST", SECRETS, { metadata: { name: "s" }, data: { a: "YQ==" } });
  const m = await call(
    api,
    "PATCH",
    `${SECRETS}/s`,
    { metadata: { labels: { x: "1" } } },
    "application/merge-patch+json",
  );
  expect(m.body.metadata.labels).toEqual({ x: "1" });
  const j = await call(
    api,
    "PATCH",
    `${SECRETS}/s`,
    [{ op: "add", path: "/data/b", value: "Yg==" }],
    "application/json-patch+json",
  );
  expect(j.body.data).toEqual({ a: "YQ==", b: "Yg==" });
  const empty = await call(api, "PATCH", `${SECRETS}/s`, "null", "application/json-patch+json"); // what the kubernetes provider sends
  expect(empty.status).toBe(200);
  expect(empty.body.metadata.resourceVersion).toBe(j.body.metadata.resourceVersion);
  const bad = await call(api, "PATCH", `${SECRETS}/s`, { data: { c: "not base64!" } }, "application/merge-patch+json");
  expect(bad.status).toBe(422);
  expect(bad.body.reason).toBe("Invalid");
});
