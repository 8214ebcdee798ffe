/**
 * `check` failures the engine can print without a credential. For a failure on a property the engine prints
 * that property's whole value (`property X value {…} has a problem`), a secret in it as plain text unless
 * it is exactly a stack-config secret (a canary's password, a key from swapCredentials, a token inside the
 * kubeconfig are not); a failure on no property prints only its reason. So each names its property in the
 * reason instead.
 */
import type * as pulumi from "@pulumi/pulumi";

export function withoutPropertyValues(failures: readonly pulumi.dynamic.CheckFailure[]): pulumi.dynamic.CheckFailure[] {
  return failures.map((f) => ({ property: "", reason: f.property ? `${f.property}: ${f.reason}` : f.reason }));
}
