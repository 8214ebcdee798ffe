import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  runningKubernetesApiDaemon,
  startKubernetesApiDaemon,
  stopKubernetesApiDaemon,
} from "../../../local/kubernetes";

jest.setTimeout(60_000);

test("the daemon outlives its starter, start is idempotent, objects persist across restarts, stop ends it", async () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "k8s-daemon-test-"));
  try {
    const a = await startKubernetesApiDaemon({ stateDir });
    expect(a.pid).not.toBe(process.pid);
    expect(fs.readFileSync(path.join(stateDir, "kubernetes", "pid"), "utf8").trim()).toBe(String(a.pid));
    const b = await startKubernetesApiDaemon({ stateDir });
    expect(b).toEqual(a);

    const headers = { Authorization: `Bearer ${a.token}`, "Content-Type": "application/json" };
    const created = await fetch(`${a.url}/api/v1/namespaces/default/secrets`, {
      method: "POST",
      headers,
      body: JSON.stringify({ metadata: { name: "kept" } }),
    });
    expect(created.status).toBe(201);

    expect(await stopKubernetesApiDaemon({ stateDir })).toBe(true);
    expect(await runningKubernetesApiDaemon({ stateDir })).toBeUndefined();

    const c = await startKubernetesApiDaemon({ stateDir });
    expect(c.pid).not.toBe(a.pid);
    expect(c.token).toBe(a.token); // the kubeconfig written before stays valid
    const got = await fetch(`${c.url}/api/v1/namespaces/default/secrets/kept`, { headers });
    expect(got.status).toBe(200);
  } finally {
    await stopKubernetesApiDaemon({ stateDir });
  }
});
