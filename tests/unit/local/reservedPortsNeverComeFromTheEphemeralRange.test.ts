import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { ephemeralPortRange, freePortBlocks, reservablePortRange } from "../../../local/kafka/ports";

// A route's ports are reserved at local:up and listened on only once its CR is applied, minutes later.
// An outgoing connection opened meanwhile takes its local port from the ephemeral range, so ports from
// that range could be taken by then; ours never come from it.
describe("ports reserved for later listeners", () => {
  it("reads the kernel's ephemeral range, and falls back to Linux's default", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ports-"));
    const file = path.join(dir, "range");
    fs.writeFileSync(file, "40000\t50000\n");
    expect(ephemeralPortRange(file)).toEqual([40000, 50000]);
    fs.writeFileSync(file, "garbage\n");
    expect(ephemeralPortRange(file)).toEqual([32768, 60999]);
    expect(ephemeralPortRange(path.join(dir, "missing"))).toEqual([32768, 60999]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lie below the ephemeral range, or above it when there is no room below", () => {
    expect(reservablePortRange([32768, 60999])).toEqual([10000, 32767]);
    expect(reservablePortRange([12000, 50000])).toEqual([50001, 65535]);
    expect(reservablePortRange([1024, 65000])).toEqual([10000, 65535]);
  });

  it("come as distinct runs of consecutive free ports, all outside the ephemeral range", async () => {
    const [low, high] = ephemeralPortRange();
    const starts = await freePortBlocks(5, 3);
    expect(starts).toHaveLength(5);
    const ports = starts.flatMap((s) => [s, s + 1, s + 2]);
    expect(new Set(ports).size).toBe(15);
    for (const p of ports) expect(p < low || p > high).toBe(true);
    const servers = await Promise.all(ports.map(listen));
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });
});

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(port, "127.0.0.1", () => resolve(s));
  });
}
