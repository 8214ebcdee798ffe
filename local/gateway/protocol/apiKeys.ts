/** The API keys the gateway looks into; everything else travels as opaque bytes. */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  Metadata: 3,
  FindCoordinator: 10,
  SaslHandshake: 17,
  ApiVersions: 18,
  SaslAuthenticate: 36,
  AlterUserScramCredentials: 51,
  DescribeCluster: 60,
} as const;

/** Kafka error codes the gateway itself returns. */
export const ErrorCode = {
  NONE: 0,
  BROKER_NOT_AVAILABLE: 8,
  ILLEGAL_SASL_STATE: 34,
  UNSUPPORTED_SASL_MECHANISM: 33,
  UNSUPPORTED_VERSION: 35,
  SASL_AUTHENTICATION_FAILED: 58,
} as const;

const byName: Record<string, number> = {
  NONE: 0,
  UNKNOWN_SERVER_ERROR: -1,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  BROKER_NOT_AVAILABLE: 8,
  REPLICA_NOT_AVAILABLE: 9,
  NETWORK_EXCEPTION: 13,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  NOT_ENOUGH_REPLICAS: 19,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 20,
  CLUSTER_AUTHORIZATION_FAILED: 31,
  KAFKA_STORAGE_ERROR: 56,
  FENCED_LEADER_EPOCH: 74,
  UNKNOWN_LEADER_EPOCH: 75,
  OFFSET_NOT_AVAILABLE: 78,
  THROTTLING_QUOTA_EXCEEDED: 89,
};

/** Resolves a fence error code given by name (as in the CR) or number. */
export function errorCodeOf(value: string | number): number {
  if (typeof value === "number") return value;
  const code = byName[value];
  if (code === undefined)
    throw new Error(`unknown Kafka error code ${JSON.stringify(value)}; known: ${Object.keys(byName).join(", ")}`);
  return code;
}
