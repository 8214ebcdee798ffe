import type { KubernetesApi } from "../../../local/kubernetes";
import { GW_BASE, applyGateway, call, gateway, startTestApi } from "./client";

let api: KubernetesApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => {
  await api.stop();
});

describe("server-side apply", () => {
  test("creates then updates; metadata.generation bumps only when the spec changes", async () => {
    const created = await applyGateway(api, "pulumi", gateway({ replicas: 1 }));
    expect(created.status).toBe(201);
    expect(created.body.metadata.generation).toBe(1);
    expect(created.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const rv1 = Number(created.body.metadata.resourceVersion);

    const same = await applyGateway(api, "pulumi", gateway({ replicas: 1 }));
    expect(same.status).toBe(200);
    expect(same.body.metadata.resourceVersion).toBe(String(rv1)); // a no-op apply writes nothing

    const labelled = await applyGateway(api, "pulumi", gateway({ replicas: 1 }, { labels: { team: "a" } }));
    expect(Number(labelled.body.metadata.resourceVersion)).toBeGreaterThan(rv1);
    expect(labelled.body.metadata.generation).toBe(1); // metadata-only change

    const changed = await applyGateway(api, "pulumi", gateway({ replicas: 2 }, { labels: { team: "a" } }));
    expect(changed.body.metadata.generation).toBe(2);
    expect(changed.body.spec.replicas).toBe(2);
    expect(changed.body.metadata.uid).toBe(created.body.metadata.uid);

    const got = await call(api, "GET", `${GW_BASE}/gw`);
    expect(got.body.metadata.generation).toBe(2);
  });

  test("records ownership in managedFields in the real fieldsV1 format", async () => {
    const r = await applyGateway(
      api,
      "pulumi",
      gateway({ replicas: 1, routes: [{ name: "r1" }] }, { labels: { app: "gw" } }),
    );
    expect(r.body.metadata.managedFields).toEqual([
      {
        manager: "pulumi",
        operation: "Apply",
        apiVersion: "platform.confluent.io/v1beta1",
        time: expect.any(String),
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
          "f:spec": { "f:replicas": {}, "f:routes": {} },
        },
      },
    ]);
  });

  test("accepts a YAML body", async () => {
    const yaml =
      'apiVersion: platform.confluent.io/v1beta1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  routes:\n  - name: r1\n    endpoint: "127.0.0.1:9595"\n';
    const r = await applyGateway(api, "pulumi", yaml);
    expect(r.status).toBe(201);
    expect(r.body.spec.routes).toEqual([{ name: "r1", endpoint: "127.0.0.1:9595" }]);
  });

  test("removes a field its manager stops applying, unless another manager still owns it", async () => {
    await applyGateway(api, "pulumi", gateway({ replicas: 1, hotReload: { enabled: true }, configId: "a" }));
    await applyGateway(api, "cutover", gateway({ configId: "a" }));
    const r = await applyGateway(api, "pulumi", gateway({ replicas: 1 }));
    expect(r.body.spec.hotReload).toBeUndefined(); // only pulumi owned it
    expect(r.body.spec.configId).toBe("a"); // cutover still owns it
  });

  test("a second manager setting a field to a different value conflicts (409) until it forces; force moves ownership", async () => {
    await applyGateway(api, "pulumi", gateway({ replicas: 1, routes: [{ name: "r1" }] }));

    const shared = await applyGateway(api, "cutover", gateway({ replicas: 1 })); // same value: shared, no conflict
    expect(shared.status).toBe(200);

    const refused = await applyGateway(api, "cutover", gateway({ routes: [{ name: "r1", fence: { scope: "ALL" } }] }));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "Conflict",
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "pulumi": .spec.routes',
      details: {
        causes: [{ reason: "FieldManagerConflict", message: 'conflict with "pulumi"', field: ".spec.routes" }],
      },
    });
    expect((await call(api, "GET", `${GW_BASE}/gw`)).body.spec.routes).toEqual([{ name: "r1" }]);

    const forced = await applyGateway(
      api,
      "cutover",
      gateway({ routes: [{ name: "r1", fence: { scope: "ALL" } }] }),
      "&force=true",
    );
    expect(forced.status).toBe(200);
    expect(forced.body.spec.routes).toEqual([{ name: "r1", fence: { scope: "ALL" } }]);
    const owners = Object.fromEntries(
      forced.body.metadata.managedFields.map((m: { manager: string; fieldsV1: { "f:spec": object } }) => [
        m.manager,
        Object.keys(m.fieldsV1["f:spec"]),
      ]),
    );
    expect(owners).toEqual({ pulumi: ["f:replicas"], cutover: ["f:routes"] });

    const back = await applyGateway(api, "pulumi", gateway({ replicas: 1, routes: [{ name: "r1" }] }));
    expect(back.status).toBe(409);
    expect(back.body.details.causes[0].message).toBe('conflict with "cutover"');
  });

  test("an apply carrying metadata.resourceVersion is conditional on it: a stale one is 409 Conflict, even forced", async () => {
    const created = await applyGateway(api, "pulumi", gateway({ replicas: 1, routes: [{ name: "r1" }] }));
    const readAt = created.body.metadata.resourceVersion as string;
    // Someone else writes between the cutover's read and its apply.
    const other = await applyGateway(api, "operator", gateway({ replicas: 2 }), "&force=true");
    expect(other.body.metadata.resourceVersion).not.toBe(readAt);

    const stale = gateway({ routes: [{ name: "r1", fence: { scope: "ALL" } }] }, { resourceVersion: readAt });
    const refused = await applyGateway(api, "cutover", stale, "&force=true");
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      kind: "Status",
      reason: "Conflict",
      code: 409,
      message:
        'Operation cannot be fulfilled on gateways.platform.confluent.io "gw": the object has been modified; please apply your changes to the latest version and try again',
    });
    const unchanged = await call(api, "GET", `${GW_BASE}/gw`);
    expect(unchanged.body.metadata.resourceVersion).toBe(other.body.metadata.resourceVersion);
    expect(unchanged.body.spec.routes).toEqual([{ name: "r1" }]);

    // Computed again from the current object, it applies; resourceVersion is a precondition, not a field anyone owns.
    const fresh = gateway(
      { routes: [{ name: "r1", fence: { scope: "ALL" } }] },
      { resourceVersion: other.body.metadata.resourceVersion },
    );
    const applied = await applyGateway(api, "cutover", fresh, "&force=true");
    expect(applied.status).toBe(200);
    expect(applied.body.spec).toMatchObject({ replicas: 2, routes: [{ name: "r1", fence: { scope: "ALL" } }] });
    expect(JSON.stringify(applied.body.metadata.managedFields)).not.toContain("resourceVersion");
  });

  test("dryRun=All returns the would-be object and stores nothing", async () => {
    const dry = await applyGateway(api, "pulumi", gateway({ replicas: 1 }), "&dryRun=All");
    expect(dry.status).toBe(201);
    expect(dry.body.spec.replicas).toBe(1);
    expect((await call(api, "GET", `${GW_BASE}/gw`)).status).toBe(404);

    const real = await applyGateway(api, "pulumi", gateway({ replicas: 1 }));
    const dry2 = await applyGateway(api, "pulumi", gateway({ replicas: 5 }), "&dryRun=All");
    expect(dry2.body.spec.replicas).toBe(5);
    expect(dry2.body.metadata.generation).toBe(2);
    const after = await call(api, "GET", `${GW_BASE}/gw`);
    expect(after.body.spec.replicas).toBe(1);
    expect(after.body.metadata.resourceVersion).toBe(real.body.metadata.resourceVersion);
  });

  test("apply without fieldManager is Invalid (422); a missing object is NotFound (404) as a Status", async () => {
    const r = await call(api, "PATCH", `${GW_BASE}/gw`, gateway({}), "application/apply-patch+yaml");
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ kind: "Status", reason: "Invalid", code: 422 });
    const nf = await call(api, "GET", `${GW_BASE}/nope`);
    expect(nf.body).toMatchObject({
      kind: "Status",
      reason: "NotFound",
      code: 404,
      message: 'gateways.platform.confluent.io "nope" not found',
    });
  });
});
