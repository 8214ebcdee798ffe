import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MskLocation, SourceConfig } from "../config";

/** One source broker. `id` is known only when the brokers were read from MSK; a bootstrap list does not say. */
export interface SourceBroker {
  readonly id?: number;
  readonly host: string;
  readonly port: number;
}

/** Where the cluster link reaches the source, and the brokers behind it (for the Gateway's `nodeIdRanges`). */
export interface SourceBrokers {
  /** `host:port,…`, as Kafka's `bootstrap.servers`. */
  readonly bootstrap: pulumi.Output<string>;
  readonly brokers: pulumi.Output<SourceBroker[]>;
}

/** MSK's SASL/SCRAM listener ports: 9096 inside the VPC, 9196 on public access. */
const SCRAM_PORT = 9096;
const PUBLIC_SCRAM_PORT = 9196;

/**
 * The source's bootstrap and broker list, from config or, for `source.mskClusterName`, read from MSK
 * (`aws.msk.getCluster` + `aws.msk.getBrokerNodes`). `opts.parent` makes the invokes use the parent's provider.
 */
export function sourceBrokers(
  location: SourceConfig["location"],
  opts: pulumi.InvokeOutputOptions = {},
): SourceBrokers {
  if (location.kind === "bootstrap") {
    return {
      bootstrap: pulumi.output(location.brokers.map((b) => `${b.host}:${b.port}`).join(",")),
      brokers: pulumi.output(location.brokers.map((b) => ({ host: b.host, port: b.port }))),
    };
  }
  return mskBrokers(location, opts);
}

function mskBrokers(location: MskLocation, opts: pulumi.InvokeOutputOptions): SourceBrokers {
  const cluster = aws.msk.getClusterOutput({ clusterName: location.clusterName }, opts);
  const nodes = aws.msk.getBrokerNodesOutput({ clusterArn: cluster.arn }, opts);
  const bootstrap = cluster.apply((c) => scramBootstrap(c, location));
  const brokers = pulumi.all([nodes, bootstrap]).apply(([n, list]) => {
    const publicHosts = list.split(",").map((hp) => hp.slice(0, hp.lastIndexOf(":")));
    return [...n.nodeInfoLists]
      .sort((a, b) => a.brokerId - b.brokerId)
      .map((node): SourceBroker => {
        const host = node.endpoints[0];
        if (!location.publicEndpoints) return { id: node.brokerId, host, port: SCRAM_PORT };
        // MSK names a broker's public endpoint after its private one: b-1.x… → b-1-public.x…
        const label = host.split(".")[0];
        const publicHost = publicHosts.find((h) => h.split(".")[0] === `${label}-public`);
        if (!publicHost)
          throw new Error(
            `MSK cluster ${location.clusterName}: broker ${node.brokerId} (${host}) has no public SASL/SCRAM endpoint in ${list}`,
          );
        return { id: node.brokerId, host: publicHost, port: PUBLIC_SCRAM_PORT };
      });
  });
  return { bootstrap, brokers };
}

/** The SASL/SCRAM bootstrap list MSK reports (private or public), or an error naming the key and the fix. */
export function scramBootstrap(
  cluster: Pick<aws.msk.GetClusterResult, "bootstrapBrokersSaslScram" | "bootstrapBrokersPublicSaslScram">,
  location: MskLocation,
): string {
  const list = location.publicEndpoints ? cluster.bootstrapBrokersPublicSaslScram : cluster.bootstrapBrokersSaslScram;
  if (!list) throw new Error(noScramListener(location));
  return list;
}

function noScramListener(location: MskLocation): string {
  const key = "kafka-cutover:source.mskClusterName";
  return location.publicEndpoints
    ? `${key}: MSK cluster ${location.clusterName} has no public SASL/SCRAM endpoint (bootstrapBrokersPublicSaslScram is empty); turn on public access with SASL/SCRAM on the cluster, or reach it privately: pulumi config set --path 'kafka-cutover:source.mskPublicEndpoints' false`
    : `${key}: MSK cluster ${location.clusterName} has no SASL/SCRAM listener (bootstrapBrokersSaslScram is empty); turn on SASL/SCRAM authentication on the cluster, or give the brokers directly: pulumi config rm --path '${key}' && pulumi config set --path 'kafka-cutover:source.bootstrap' <host:port,…>`;
}
