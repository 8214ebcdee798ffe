import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE } from "./errors";
import { RawStackConfig } from "./reader";
import { StackConfig } from "./schema";
import { validateStackConfig } from "./validate";

/** The SDK keeps which keys were encrypted but exports no typed accessor for it. */
interface RuntimeConfigModule {
  isConfigSecret(key: string): boolean;
}

/** Reads this project's keys from the running Pulumi program and validates them. */
export function readStackConfig(): StackConfig {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtimeConfig = require("@pulumi/pulumi/runtime/config") as RuntimeConfigModule;
  const all = pulumi.runtime.allConfig();
  const values: Record<string, string> = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(all)) {
    if (!key.startsWith(`${NAMESPACE}:`)) continue;
    values[key] = value;
    if (runtimeConfig.isConfigSecret(key)) secretKeys.add(key);
  }
  const raw: RawStackConfig = { values, secretKeys };
  return validateStackConfig(raw);
}
