/**
 * A kubeconfig is a credential: what its parser or its exec plugin says about a bad one names a line, a
 * column, an exit code; never the text, a token or the plugin's output.
 */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeconfigError, execToken, parseKubeconfig } from "../../../clients/kubeconfig";

const MARKER = "tok-MARKER-5f3a9c";

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KubeconfigError);
    return (e as Error).message;
  }
  throw new Error("expected a KubeconfigError");
}

it("names the line and column of malformed YAML, not the line itself", () => {
  const text = `apiVersion: v1
current-context: c
users: [{name: u, user: {token: ${MARKER}}
  x: : y
`;
  const message = messageOf(() => parseKubeconfig(text));
  expect(message).toMatch(/^the kubeconfig is not valid YAML at line \d+, column \d+ \([A-Z_]+\)$/);
  expect(message).not.toContain(MARKER);
});

describe("an exec credential plugin", () => {
  const dir = mkdtempSync(join(tmpdir(), "kubeconfig-exec-"));
  function plugin(name: string, script: string): string {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${script}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  it("that fails is reported by its exit code, without its stderr or arguments", async () => {
    const command = plugin("fails", `echo "token ${MARKER} expired" >&2; exit 3`);
    const err = (await execToken({ kind: "exec", command, args: [`--secret=${MARKER}`], env: {} }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(err).toBeInstanceOf(KubeconfigError);
    expect(err.message).toBe(`the exec credential plugin ${command} failed (3); run it by hand to see why`);
  });

  it("that prints something other than JSON is refused without quoting it", async () => {
    const command = plugin("garbage", `echo "${MARKER} not json"`);
    const err = (await execToken({ kind: "exec", command, args: [], env: {} }).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(`the exec credential plugin ${command} did not print an ExecCredential (JSON)`);
  });

  it("that prints an ExecCredential gives its token", async () => {
    const command = plugin("good", `echo '{"status":{"token":"${MARKER}"}}'`);
    await expect(execToken({ kind: "exec", command, args: [], env: {} })).resolves.toEqual({ token: MARKER });
  });
});
