/**
 * npm run lag -- --group <name> [--stack <name> | --config-file <file>] [--until-ready] [--interval 2s] [--once]
 *
 * Watches one group's mirrors as the cutover's readiness gate reads them, refreshing in place. Secrets come
 * from the environment (see SECRET_ENV) or the stack's secrets through `pulumi config get`, never an argument.
 */
import type { Admin } from "kafkajs";
import { Command, InvalidArgumentError } from "commander";
import { ClusterLinkRestClient } from "../../clients/clusterLinkRest";
import { KAFKA_LEGS } from "../../clients/tls";
import { StackConfigError } from "../../config";
import { connectAdmin } from "../../dynamic/cutover/offsets";
import { SECRET_ENV, resolveTarget } from "./access";
import { EXIT_INTERRUPTED, blockScreen, terminalScreen, watch } from "./watch";

/** `500ms`, `2s`, `1m`; a bare number is seconds. */
export function duration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  const ms = m ? Number(m[1]) * { ms: 1, s: 1_000, m: 60_000 }[(m[2] ?? "s") as "ms" | "s" | "m"] : NaN;
  if (!(ms >= 100)) throw new InvalidArgumentError("a duration of at least 100ms, such as 500ms, 2s or 1m");
  return ms;
}

export function program(): Command {
  return new Command("lag")
    .description(
      `Watch a migration group's lag as the cutover's readiness gate reads it. Secrets: ${Object.values(SECRET_ENV).join(", ")}, or the stack's secrets (through pulumi config get).`,
    )
    .requiredOption("-g, --group <name>", "the migration group (kafka-cutover:groups[].name)")
    .option("-s, --stack <name>", "read Pulumi.<name>.yaml", "local")
    .option(
      "--config-file <file>",
      "the stack file to read (default Pulumi.<stack>.yaml; the running local environment's is local/.state/Pulumi.local.yaml)",
    )
    .option("--until-ready", "exit 0 as soon as the group would pass readiness", false)
    .option("--once", "print one sample; exit 0 if the group would pass readiness, else 1", false)
    .option("-i, --interval <duration>", "time between refreshes (500ms, 2s, 1m)", duration, 2_000);
}

interface CliOptions {
  group: string;
  stack: string;
  configFile?: string;
  untilReady: boolean;
  once: boolean;
  interval: number;
}

async function main(argv: readonly string[]): Promise<number> {
  const o = program().parse(argv, { from: "node" }).opts<CliOptions>();
  const target = resolveTarget({
    group: o.group,
    stack: o.stack,
    ...(o.configFile ? { configFile: o.configFile } : {}),
  });
  const stop = new AbortController();
  process.on("SIGINT", () => {
    stop.abort();
    // A refresh in flight may wait on a cluster for seconds; Ctrl-C must not.
    setTimeout(() => process.exit(EXIT_INTERRUPTED), 500).unref();
  });
  const admins: Admin[] = [];
  try {
    admins.push(await connectAdmin(target.source, "kafka-cutover-lag-source", KAFKA_LEGS.source));
    admins.push(await connectAdmin(target.destination, "kafka-cutover-lag-destination", KAFKA_LEGS.destination));
    const rest = new ClusterLinkRestClient({
      restEndpoint: target.link.restEndpoint,
      clusterId: target.link.clusterId,
      apiKey: target.link.apiKey,
      apiSecret: target.link.apiSecret,
      ...(target.link.restCaCertificates ? { caCertificates: target.link.restCaCertificates } : {}),
      timeoutMs: 10_000,
    });
    const screen = process.stdout.isTTY ? terminalScreen() : blockScreen();
    return await watch(
      { source: admins[0], destination: admins[1], rest },
      target,
      { intervalMs: o.interval, untilReady: o.untilReady, once: o.once, signal: stop.signal },
      screen,
    );
  } finally {
    await Promise.allSettled(admins.map((a) => a.disconnect()));
  }
}

if (require.main === module) {
  main(process.argv).then(
    (code) => process.exit(code),
    (err: unknown) => {
      // A config problem is already a numbered list with fixes; anything else is one line.
      process.stderr.write(`lag: ${err instanceof StackConfigError ? err.message : (err as Error).message}\n`);
      process.exit(1);
    },
  );
}
