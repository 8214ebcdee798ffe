import * as os from "node:os";
import * as path from "node:path";

/** Repository root: this file lives in local/kafka/. */
export const repoRoot = path.resolve(__dirname, "..", "..");

/** Where the local environment keeps its state (pid files, data, endpoints.json). */
export function resolveStateDir(stateDir?: string): string {
  return path.resolve(stateDir ?? process.env.KAFKA_CUTOVER_STATE ?? path.join(repoRoot, "local", ".state"));
}

/** Alias of resolveStateDir for callers that want the default. */
export function stateDir(): string {
  return resolveStateDir();
}

/** Cache root shared by all components: `<cache>/<component>-<version>/`. */
export function resolveCacheRoot(): string {
  return path.resolve(process.env.KAFKA_CUTOVER_CACHE ?? path.join(os.homedir(), ".cache", "kafka-cutover"));
}

export function endpointsFile(stateDir?: string): string {
  return path.join(resolveStateDir(stateDir), "endpoints.json");
}
