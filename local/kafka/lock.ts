import * as fs from "node:fs";
import * as path from "node:path";

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Runs `fn` while holding a directory lock (mkdir is atomic). A lock left by a dead process is taken over,
 * so a killed `local:up` never wedges the next one.
 */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  const owner = path.join(lockDir, "owner");
  const deadline = Date.now() + timeoutMs;
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(owner, `${process.pid}\n`);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let holder = Number.NaN;
      try {
        holder = Number.parseInt(fs.readFileSync(owner, "utf8"), 10);
      } catch {
        // the owner file is written right after mkdir; treat a missing one as "being taken"
      }
      if (Number.isInteger(holder) && (holder === process.pid ? false : !pidAlive(holder))) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir} (held by pid ${holder})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}
