// `local/setup.sh` step: resolve the Kafka jars and compile our Java helpers into the cache, ahead of time.
import { ensureKafkaRuntime } from "./runtime";

const started = Date.now();
ensureKafkaRuntime().then(
  (rt) => {
    const what = rt.resolvedJars ? "resolved" : "already cached";
    console.log(
      `Apache Kafka ${rt.version} jars ${what} in ${rt.libsDir} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
