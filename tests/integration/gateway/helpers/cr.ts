import type { KafkaPairEndpoints } from "../../../../local/kafka";
import type { GatewaySpec, RouteSpec } from "../../../../local/gateway";

export const SWAP_SECRET = "swap-credentials";

export interface RouteOptions {
  name: string;
  port: number;
  domain: "source" | "destination";
  auth?: "passthrough" | "swap";
  fenced?: boolean;
}

/** A Gateway spec with both clusters as streaming domains and the given routes (the shape of research §3.1). */
export function gatewaySpec(endpoints: KafkaPairEndpoints, routes: RouteOptions[], configId?: string): GatewaySpec {
  return {
    ...(configId ? { configId, hotReload: { enabled: true } } : {}),
    secretStores: [{ name: "store", provider: { type: "Kubernetes", configSecretRef: SWAP_SECRET } }],
    streamingDomains: [
      {
        name: "source",
        type: "kafka",
        kafkaCluster: { bootstrapServers: [{ id: "SCRAM", endpoint: `SASL_PLAINTEXT://${endpoints.source.bootstrap}` }], nodeIdRanges: [{ name: "pool", start: 0, end: 1 }] },
      },
      {
        name: "destination",
        type: "kafka",
        kafkaCluster: { bootstrapServers: [{ id: "PLAIN", endpoint: `SASL_PLAINTEXT://${endpoints.destination.bootstrap}` }], nodeIdRanges: [{ name: "pool", start: 0, end: 1 }] },
      },
    ],
    routes: routes.map((r): RouteSpec => ({
      name: r.name,
      endpoint: `127.0.0.1:${r.port}`,
      brokerIdentificationStrategy: { type: "port" },
      streamingDomain: { name: r.domain, bootstrapServerId: r.domain === "source" ? "SCRAM" : "PLAIN" },
      security:
        (r.auth ?? "passthrough") === "swap"
          ? { auth: "swap", secretStore: "store", client: { authentication: { type: "scram" } }, cluster: { authentication: { type: "plain" } } }
          : { auth: "passthrough" },
      ...(r.fenced ? { fence: { scope: "ALL", errorCode: "BROKER_NOT_AVAILABLE" } } : {}),
    })),
  };
}
