import * as path from "node:path";

export type ClusterName = "source" | "destination";

export interface ClusterPorts {
  client: number;
  controller: number;
}

export interface ClusterLayout {
  name: ClusterName;
  dir: string;
  dataDir: string;
  serverProperties: string;
  log4jProperties: string;
  serverLog: string;
  stdoutLog: string;
  pidFile: string;
  /** destination only: one file per API key, read by ApiKeyCallbackHandler on each login. */
  apiKeysDir: string;
}

export function clusterLayout(kafkaStateDir: string, name: ClusterName): ClusterLayout {
  const dir = path.join(kafkaStateDir, name);
  return {
    name,
    dir,
    dataDir: path.join(dir, "data"),
    serverProperties: path.join(dir, "server.properties"),
    log4jProperties: path.join(dir, "log4j2.properties"),
    serverLog: path.join(dir, "server.log"),
    stdoutLog: path.join(dir, "stdout.log"),
    pidFile: path.join(dir, "broker.pid"),
    apiKeysDir: path.join(dir, "api-keys"),
  };
}

/** Values end up inside double-quoted JAAS strings and property files: keep them boring. */
function jaasSafe(value: string): string {
  if (!/^[A-Za-z0-9_./:+=-]+$/.test(value)) throw new Error(`unsafe value for a JAAS option: ${JSON.stringify(value)}`);
  return value;
}

function commonProperties(layout: ClusterLayout, ports: ClusterPorts): string[] {
  return [
    "process.roles=broker,controller",
    "node.id=1",
    // Static voters work the same on 3.9 and 4.x and need no --standalone at format time.
    `controller.quorum.voters=1@127.0.0.1:${ports.controller}`,
    `listeners=CLIENT://127.0.0.1:${ports.client},CONTROLLER://127.0.0.1:${ports.controller}`,
    `advertised.listeners=CLIENT://127.0.0.1:${ports.client}`,
    "listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
    "inter.broker.listener.name=CLIENT",
    "controller.listener.names=CONTROLLER",
    // SCRAM cannot work on a controller listener (KAFKA-15513), so the controller always speaks PLAIN.
    "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
    "sasl.mechanism.controller.protocol=PLAIN",
    "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
    "allow.everyone.if.no.acl.found=false",
    `log.dirs=${layout.dataDir}`,
    "num.partitions=1",
    "default.replication.factor=1",
    "min.insync.replicas=1",
    "offsets.topic.replication.factor=1",
    "offsets.topic.num.partitions=5",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "transaction.state.log.num.partitions=5",
    "share.coordinator.state.topic.replication.factor=1",
    "share.coordinator.state.topic.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
    "auto.create.topics.enable=false",
    "num.network.threads=2",
    "num.io.threads=4",
    "background.threads=4",
    "num.recovery.threads.per.data.dir=1",
    "log.cleaner.threads=1",
    "log.segment.bytes=67108864",
  ];
}

export interface SourceSecrets {
  adminUsername: string;
  adminPassword: string;
}

/** MSK-like: SASL/SCRAM-SHA-512 for clients and inter-broker traffic. */
export function sourceServerProperties(layout: ClusterLayout, ports: ClusterPorts, s: SourceSecrets): string {
  const user = jaasSafe(s.adminUsername);
  const pass = jaasSafe(s.adminPassword);
  return [
    ...commonProperties(layout, ports),
    "sasl.enabled.mechanisms=SCRAM-SHA-512",
    "listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512",
    "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
    `listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${user}" password="${pass}";`,
    `listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${user}" password="${pass}" user_${user}="${pass}";`,
    `super.users=User:${user}`,
    "",
  ].join("\n");
}

export interface DestinationSecrets {
  adminApiKey: string;
  adminApiSecret: string;
}

export const apiKeyHandlerClass = "kafkacutover.local.ApiKeyCallbackHandler";

/** Where the destination's OAUTHBEARER tokens come from (local/oauth): JWKS, `iss` and `aud` to validate. */
export interface DestinationOAuth {
  jwksEndpoint: string;
  issuer: string;
  audience: string;
}

/** Kafka 4.x reads OAuth URLs only when this JVM system property lists them (empty by default since 4.0). */
export const OAUTH_ALLOWED_URLS_PROPERTY = "org.apache.kafka.sasl.oauthbearer.allowed.urls";

/**
 * OAUTHBEARER beside PLAIN on the client listener, as Confluent Cloud takes API keys and identity-pool tokens on
 * one endpoint: Kafka's own validator checks the signature against the JWKS, `iss`, `aud` and `exp`; the
 * principal is `User:<sub>`.
 */
function oauthBearerProperties(o: DestinationOAuth): string[] {
  const mechanism = "listener.name.client.oauthbearer.";
  // Listener-wide, not per mechanism: Kafka 4.1 looks the validator class up without the mechanism prefix.
  const listener = "listener.name.client.";
  return [
    `${mechanism}sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;`,
    `${mechanism}sasl.server.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler`,
    // Kafka 4.1's default validator (DefaultJwtValidator, as the handler builds it) checks only the token's shape,
    // not its signature, issuer, audience or expiry: the broker validator must be named (DESIGN.md, "OAUTHBEARER out").
    `${listener}sasl.oauthbearer.jwt.validator.class=org.apache.kafka.common.security.oauthbearer.BrokerJwtValidator`,
    `${listener}sasl.oauthbearer.jwks.endpoint.url=${o.jwksEndpoint}`,
    `${listener}sasl.oauthbearer.expected.issuer=${o.issuer}`,
    `${listener}sasl.oauthbearer.expected.audience=${o.audience}`,
  ];
}

export function destinationServerProperties(
  layout: ClusterLayout,
  ports: ClusterPorts,
  s: DestinationSecrets,
  oauth?: DestinationOAuth,
): string {
  const key = jaasSafe(s.adminApiKey);
  const secret = jaasSafe(s.adminApiSecret);
  return [
    ...commonProperties(layout, ports),
    "sasl.enabled.mechanisms=PLAIN",
    `listener.name.client.sasl.enabled.mechanisms=PLAIN${oauth ? ",OAUTHBEARER" : ""}`,
    "sasl.mechanism.inter.broker.protocol=PLAIN",
    ...(oauth ? oauthBearerProperties(oauth) : []),
    `listener.name.client.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${key}" password="${secret}" api.keys.dir="${jaasSafe(layout.apiKeysDir)}";`,
    `listener.name.client.plain.sasl.server.callback.handler.class=${apiKeyHandlerClass}`,
    `listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${key}" password="${secret}" user_${key}="${secret}";`,
    `super.users=User:${key}`,
    "",
  ].join("\n");
}

/** Broker logs: warnings only, plus the "Kafka Server started" line, into `<cluster>/server.log`. */
export function brokerLog4j(layout: ClusterLayout): string {
  return [
    "status = error",
    "appender.file.type = File",
    "appender.file.name = FILE",
    `appender.file.fileName = ${layout.serverLog}`,
    "appender.file.layout.type = PatternLayout",
    "appender.file.layout.pattern = [%d] %p %m (%c)%n",
    "rootLogger.level = warn",
    "rootLogger.appenderRef.file.ref = FILE",
    "logger.server.name = kafka.server.KafkaRaftServer",
    "logger.server.level = info",
    "logger.authorizer.name = kafka.authorizer.logger",
    "logger.authorizer.level = warn",
    "",
  ].join("\n");
}

/** Short-lived tools (StorageTool, ScramUser): errors only, to stderr. */
export const toolLog4j = [
  "status = error",
  "appender.err.type = Console",
  "appender.err.name = STDERR",
  "appender.err.target = SYSTEM_ERR",
  "appender.err.layout.type = PatternLayout",
  "appender.err.layout.pattern = %p %m (%c)%n",
  "rootLogger.level = error",
  "rootLogger.appenderRef.err.ref = STDERR",
  "",
].join("\n");

export const brokerJvmOptions = [
  "-Xms256m",
  "-Xmx768m",
  "-XX:MaxMetaspaceSize=256m",
  "-XX:+UseG1GC",
  "-XX:MaxGCPauseMillis=20",
  "-XX:InitiatingHeapOccupancyPercent=35",
  "-XX:+ExplicitGCInvokesConcurrent",
  "-XX:ParallelGCThreads=2",
  "-XX:ConcGCThreads=1",
  "-XX:CICompilerCount=2",
  "-XX:+ExitOnOutOfMemoryError",
  "-Djava.awt.headless=true",
  "-Djava.net.preferIPv4Stack=true",
];

export const toolJvmOptions = [
  "-Xmx256m",
  "-XX:TieredStopAtLevel=1",
  "-XX:+UseSerialGC",
  "-Djava.net.preferIPv4Stack=true",
];
