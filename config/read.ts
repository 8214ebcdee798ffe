import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE } from "./errors";
import { RawStackConfig } from "./reader";
import { configKeyIsSecret } from "./secretKeys";
import { StackConfig } from "./schema";
import { validateStackConfig } from "./validate";

/** Reads this project's keys from the running Pulumi program and validates them. */
export function readStackConfig(): StackConfig {
  const all = pulumi.runtime.allConfig();
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(all)) {
    if (!key.startsWith(`${NAMESPACE}:`)) continue;
    values[key] = value;
    if (configKeyIsSecret(key)) secretKeys.add(key);
  }
  const raw: RawStackConfig = { values, secretKeys };
  return validateStackConfig(raw);
}
