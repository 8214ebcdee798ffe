import * as os from "os";
import * as path from "path";

/** Where the project caches what it builds: one folder per component and version. */
export function cacheDir(): string {
  return process.env.KAFKA_CUTOVER_CACHE ?? path.join(os.homedir(), ".cache", "kafka-cutover");
}

export const projectRoot = path.resolve(__dirname, "..", "..");

interface PackageJson {
  dependencies: Record<string, string>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require(path.join(projectRoot, "package.json")) as PackageJson;

/** CLI, SDK and plugin versions come from package.json, as build.sh reads them. */
export const pulumiVersion = pkg.dependencies["@pulumi/pulumi"];
export const kubernetesProviderVersion = pkg.dependencies["@pulumi/kubernetes"];

export const pulumiBinDir = path.join(cacheDir(), `pulumi-v${pulumiVersion}`, "bin");
export const kubernetesProviderBinary = path.join(
  cacheDir(),
  `pulumi-resource-kubernetes-v${kubernetesProviderVersion}`,
  "bin",
  "pulumi-resource-kubernetes",
);
