/**
 * What the operator tools (discover, lag) share for reading a stack file: its stack name, and a secret
 * decrypted by the Pulumi CLI (the only tool that knows the stack's secrets provider), output captured, never shown.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

export function stackNameOf(file: string): string {
  const m = /^Pulumi\.(.+)\.yaml$/.exec(path.basename(file));
  if (!m) throw new Error(`${file}: not named Pulumi.<stack>.yaml; give --stack <name>`);
  return m[1];
}

/** `envHint`: the environment variable that can give the secret instead, named in the error. */
export function pulumiConfigGetSecret(key: string, stack: string, file: string, envHint: string): string {
  try {
    return execFileSync("pulumi", ["config", "get", key, "--stack", stack, "--config-file", file], {
      cwd: path.dirname(path.resolve(file)),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).replace(/\n$/, "");
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? "";
    throw new Error(
      `could not read ${key} of stack ${stack} with the Pulumi CLI (${stderr.trim().split("\n")[0] || (err as Error).message}); log in and select the stack, or set ${envHint}`,
    );
  }
}
