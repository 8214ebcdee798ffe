/**
 * Which stack-config keys were set with `--secret`. The Pulumi SDK records it but exports no public accessor,
 * so this is the one place that reaches into `@pulumi/pulumi/runtime/config`; the unit test
 * `privateSdkSurfacesAreWhereWeReachThem` fails when an SDK upgrade moves it.
 */
export const SDK_CONFIG_MODULE = "@pulumi/pulumi/runtime/config";

interface RuntimeConfigModule {
  isConfigSecret(key: string): boolean;
}

function runtimeConfig(): RuntimeConfigModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(SDK_CONFIG_MODULE) as Partial<RuntimeConfigModule>;
  if (typeof mod.isConfigSecret !== "function")
    // Guessing "not secret" would let a secret be handled as plain text: refuse instead.
    throw new Error(
      `${SDK_CONFIG_MODULE} no longer exports isConfigSecret, which kafka-cutover uses to keep secret config secret: use the @pulumi/pulumi version in package.json`,
    );
  return mod as RuntimeConfigModule;
}

/** True when `key` (namespace included, e.g. `kafka-cutover:source`) was set as a secret. */
export function configKeyIsSecret(key: string): boolean {
  return runtimeConfig().isConfigSecret(key);
}
