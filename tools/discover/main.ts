/**
 * npm run discover -- --stack <name> | --bootstrap host:port --username <user> [options]
 *
 * Reads the source cluster (changing nothing), prints a report and writes a proposed `kafka-cutover:groups`
 * section. The password comes from KAFKA_CUTOVER_SOURCE_PASSWORD or the stack's secret, never an argument.
 */
import * as fs from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { StackConfigError } from "../../config";
import { PASSWORD_ENV, resolveAccess } from "./access";
import { discover } from "./discover";
import { DEFAULT_ENDPOINT_TEMPLATE } from "./proposal";

function regex(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (err) {
    throw new InvalidArgumentError(`not a regular expression: ${(err as Error).message}`);
  }
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError("not a port (1-65535)");
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function program(): Command {
  return new Command("discover")
    .description(
      `Inventory the source cluster (read-only) and propose kafka-cutover:groups. Password: ${PASSWORD_ENV}, or the stack's sourcePassword secret (through pulumi config get).`,
    )
    .option("-s, --stack <name>", "read kafka-cutover:source from Pulumi.<name>.yaml")
    .option("--config-file <file>", "the stack file to read (default Pulumi.<stack>.yaml)")
    .option("--bootstrap <brokers>", "source brokers, host:port[,host:port…] (overrides the stack's)")
    .addOption(
      new Option("--security-protocol <protocol>", "overrides the stack's").choices([
        "SASL_SSL",
        "SASL_PLAINTEXT",
        "SSL",
        "PLAINTEXT",
      ]),
    )
    .addOption(
      new Option("--mechanism <mechanism>", "SASL mechanism (overrides the stack's)").choices([
        "SCRAM-SHA-512",
        "SCRAM-SHA-256",
        "PLAIN",
      ]),
    )
    .option("--username <user>", "SASL username (overrides the stack's)")
    .option(
      "--ca-file <file>",
      "PEM CAs the brokers' certificates chain to (overrides the stack's source.caCertificates)",
    )
    .option("--topics <regex>", "only topics whose name matches", regex)
    .option("--ignore-principal <principal>", "a principal that ties no topics (repeatable)", collect, [])
    .addOption(
      new Option("--auth <mode>", "auth of the proposed groups")
        .choices(["passthrough", "swap"])
        .default("passthrough"),
    )
    .option("--endpoint <template>", "route endpoint; {name} and {port} are filled in", DEFAULT_ENDPOINT_TEMPLATE)
    .option("--first-port <port>", "{port} of the first group, +1 for each next", port, 9092)
    .option("-o, --out <file>", "where the proposed section is written", "discovered-groups.yaml");
}

interface CliOptions {
  stack?: string;
  configFile?: string;
  bootstrap?: string;
  securityProtocol?: string;
  mechanism?: string;
  username?: string;
  caFile?: string;
  topics?: RegExp;
  ignorePrincipal: string[];
  auth: "passthrough" | "swap";
  endpoint: string;
  firstPort: number;
  out: string;
}

async function main(argv: readonly string[]): Promise<void> {
  const cli = program().parse(argv, { from: "node" });
  const o = cli.opts<CliOptions>();
  const resolved = resolveAccess(o);
  process.stderr.write(
    `discover: reading ${resolved.access.bootstrap} as ${resolved.access.username} (from ${resolved.from})\n`,
  );
  const result = await discover(resolved.access, {
    ...(o.topics ? { topicFilter: o.topics } : {}),
    ignorePrincipals: o.ignorePrincipal,
    configuredGroups: resolved.configuredGroups,
    auth: o.auth,
    endpointTemplate: o.endpoint,
    firstPort: o.firstPort,
  });
  process.stdout.write(result.report);
  process.stdout.write(`\nproposed kafka-cutover:groups (written to ${o.out}):\n\n${result.yaml}`);
  fs.writeFileSync(o.out, result.yaml);
}

if (require.main === module) {
  main(process.argv).catch((err: unknown) => {
    // A config problem is already a numbered list with fixes; anything else is one line.
    process.stderr.write(`discover: ${err instanceof StackConfigError ? err.message : (err as Error).message}\n`);
    process.exit(1);
  });
}
