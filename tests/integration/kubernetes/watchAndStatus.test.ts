import type { KubernetesApi } from "../../../local/kubernetes";
import { GW_BASE, applyGateway, call, gateway, startTestApi, watch } from "./client";

let api: KubernetesApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => {
  await api.stop();
});

describe("watch", () => {
  test("delivers ADDED, MODIFIED, DELETED in order from a resourceVersion", async () => {
    const list = await call(api, "GET", GW_BASE);
    expect(list.body.kind).toBe("GatewayList");
    const from = list.body.metadata.resourceVersion;
    const w = await watch(api, `${GW_BASE}?watch=true&resourceVersion=${from}`);
    try {
      await applyGateway(api, "pulumi", gateway({ replicas: 1 }));
      await applyGateway(api, "pulumi", gateway({ replicas: 2 }));
      await call(api, "DELETE", `${GW_BASE}/gw`);
      await w.waitFor(3);
      expect(w.events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
      expect(w.events[1].object.spec.replicas).toBe(2);
      const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
      expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
      expect(rvs[0]).toBeGreaterThan(Number(from));
    } finally {
      w.close();
    }
  });

  test("resuming from an older resourceVersion replays the changes since then, and honours fieldSelector", async () => {
    const first = await applyGateway(api, "pulumi", gateway({ replicas: 1 }));
    await applyGateway(api, "pulumi", gateway({ replicas: 2 }));
    await call(
      api,
      "PATCH",
      `${GW_BASE}/other?fieldManager=pulumi`,
      { ...gateway({}), metadata: { name: "other" } },
      "application/apply-patch+yaml",
    );
    const w = await watch(
      api,
      `${GW_BASE}?watch=true&fieldSelector=metadata.name%3Dgw&resourceVersion=${first.body.metadata.resourceVersion}`,
    );
    try {
      await w.waitFor(1);
      await new Promise((r) => setTimeout(r, 100));
      expect(w.events.map((e) => [e.type, e.object.metadata.name, e.object.spec.replicas])).toEqual([
        ["MODIFIED", "gw", 2],
      ]);
    } finally {
      w.close();
    }
  });

  test("resourceVersion=0 starts with the current objects as ADDED", async () => {
    await applyGateway(api, "pulumi", gateway({ replicas: 1 }));
    const w = await watch(api, `${GW_BASE}?watch=true&resourceVersion=0`);
    try {
      await w.waitFor(1);
      expect(w.events[0]).toMatchObject({ type: "ADDED", object: { metadata: { name: "gw" } } });
    } finally {
      w.close();
    }
  });
});

describe("status subresource", () => {
  test("a status write changes only status and does not bump generation; main-resource writes ignore status", async () => {
    await applyGateway(api, "pulumi", gateway({ replicas: 1 }));
    const st = await call(
      api,
      "PATCH",
      `${GW_BASE}/gw/status?fieldManager=operator`,
      { ...gateway({ replicas: 9 }), status: { observedGeneration: 1, phase: "RUNNING" } },
      "application/apply-patch+yaml",
    );
    expect(st.status).toBe(200);
    expect(st.body.status).toEqual({ observedGeneration: 1, phase: "RUNNING" });
    expect(st.body.spec.replicas).toBe(1);
    expect(st.body.metadata.generation).toBe(1);
    expect(st.body.metadata.managedFields.find((m: { manager: string }) => m.manager === "operator")).toMatchObject({
      operation: "Apply",
      subresource: "status",
      fieldsV1: { "f:status": { "f:observedGeneration": {}, "f:phase": {} } },
    });

    const main = await applyGateway(api, "pulumi", { ...gateway({ replicas: 1 }), status: { phase: "HACKED" } });
    expect(main.body.status.phase).toBe("RUNNING");

    const cur = (await call(api, "GET", `${GW_BASE}/gw/status`)).body;
    const put = await call(api, "PUT", `${GW_BASE}/gw/status`, {
      ...cur,
      spec: { replicas: 7 },
      status: { observedGeneration: 1, phase: "FAILED" },
    });
    expect(put.status).toBe(200);
    expect(put.body.spec.replicas).toBe(1);
    expect(put.body.status.phase).toBe("FAILED");
    expect(put.body.metadata.generation).toBe(1);
  });

  test("a PUT with a stale resourceVersion is a Conflict (409)", async () => {
    const r = await applyGateway(api, "pulumi", gateway({ replicas: 1 }));
    await applyGateway(api, "pulumi", gateway({ replicas: 2 }));
    const put = await call(api, "PUT", `${GW_BASE}/gw`, { ...r.body, spec: { replicas: 3 } });
    expect(put.status).toBe(409);
    expect(put.body).toMatchObject({ kind: "Status", reason: "Conflict" });
  });
});
