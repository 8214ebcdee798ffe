// kafkajs settings for both ends of a link: the source as the link's own principal (from its configs),
// the destination as the emulator's admin API key (a super user, so the read-only ACL never stops it).
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from "kafkajs";
import { parseJaasConfig } from "./jaas";
import { effectiveConfig } from "./linkConfigs";

export interface DestinationAccess {
  bootstrap: string;
  apiKey: string;
  apiSecret: string;
}

export function sourceKafkaConfig(configs: Record<string, string>, clientId: string): KafkaConfig {
  const bootstrap = effectiveConfig(configs, "bootstrap.servers");
  if (!bootstrap) throw new Error("bootstrap.servers is required");
  const protocol = effectiveConfig(configs, "security.protocol") ?? "PLAINTEXT";
  let sasl: SASLOptions | undefined;
  if (protocol.startsWith("SASL_")) {
    const jaas = effectiveConfig(configs, "sasl.jaas.config");
    if (!jaas) throw new Error("sasl.jaas.config is required when security.protocol is SASL_*");
    const { username, password } = parseJaasConfig(jaas);
    const mechanism = effectiveConfig(configs, "sasl.mechanism");
    if (mechanism === "SCRAM-SHA-512") sasl = { mechanism: "scram-sha-512", username, password };
    else if (mechanism === "SCRAM-SHA-256") sasl = { mechanism: "scram-sha-256", username, password };
    else if (mechanism === "PLAIN") sasl = { mechanism: "plain", username, password };
    else
      throw new Error(
        `sasl.mechanism ${mechanism ?? "(unset)"} is not supported: use SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN`,
      );
  }
  return {
    clientId,
    brokers: bootstrap.split(","),
    ssl: protocol === "SASL_SSL" || protocol === "SSL",
    ...(sasl ? { sasl } : {}),
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2_000 },
  };
}

export function destinationKafka(destination: DestinationAccess, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: [destination.bootstrap],
    ssl: false,
    sasl: { mechanism: "plain", username: destination.apiKey, password: destination.apiSecret },
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2_000 },
  });
}

/** The principal the source sees for a link, for messages. */
export function sourcePrincipal(configs: Record<string, string>): string {
  const jaas = effectiveConfig(configs, "sasl.jaas.config");
  if (!jaas) return "ANONYMOUS";
  try {
    return `User:${parseJaasConfig(jaas).username}`;
  } catch {
    return "(unparseable sasl.jaas.config)";
  }
}
