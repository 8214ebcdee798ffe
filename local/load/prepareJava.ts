// `local/setup.sh` step: build the Java workload for every kafka-clients version ahead of time.
import { ensureJavaWorkload, JAVA_CLIENT_VERSIONS } from "./javaBuild";

async function main(): Promise<void> {
  for (const version of JAVA_CLIENT_VERSIONS) {
    const started = Date.now();
    const build = await ensureJavaWorkload(version);
    console.log(
      `Java workload with kafka-clients ${version} ${build.built ? "built" : "already cached"} in ${build.home} ` +
        `(${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
