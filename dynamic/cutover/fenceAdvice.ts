/**
 * What the fence's error code does to each client library while clients are held, so the preflight can tell
 * the operator before anything changes. The evidence behind each line is in DESIGN.md ("The fence's error
 * code", "Known issues"); a code with no evidence says so rather than guess.
 */

/** Per library, what it does while every request gets this code (and what setting, if any, it needs). */
interface CodeEvidence {
  readonly kafkajs: string;
  readonly java: string;
  readonly librdkafka: string;
}

const EVIDENCE: Readonly<Record<string, CodeEvidence>> = {
  COORDINATOR_NOT_AVAILABLE: {
    kafkajs:
      "retries; gives up after ≈9 s with the default retry (5 retries): set retry.retries ≥ 8 if a fence may last longer",
    java: "producers and classic and consumer-protocol consumers retry",
    librdkafka: "producers retry; consumers report Fetch errors (an application that polls on is fine, kcat exits)",
  },
  KAFKA_STORAGE_ERROR: {
    kafkajs:
      "producers and fetches retry; a consumer that must find its coordinator during the fence crashes and restarts",
    java: "producers retry; JoinGroup, SyncGroup and consumer-protocol (group.protocol=consumer) heartbeats fail fatally, so consumers that rebalance die",
    librdkafka: "retries silently",
  },
  NOT_COORDINATOR: {
    kafkajs: "consumers die on their first fenced fetch or heartbeat",
    java: "retries everywhere",
    librdkafka: "consumers report Fetch and OffsetFetch errors",
  },
  BROKER_NOT_AVAILABLE: {
    kafkajs: "not retried: sends fail and consumers stop",
    java: "not retried: sends fail; FindCoordinator, OffsetFetch and InitProducerId fail fatally",
    librdkafka: "retries after a metadata refresh",
  },
  NOT_LEADER_OR_FOLLOWER: {
    kafkajs: "retries, but a fenced fetch forces a group rejoin; FindCoordinator fails fatally",
    java: "producers retry; JoinGroup, SyncGroup and consumer-protocol (group.protocol=consumer) heartbeats fail fatally",
    librdkafka: "retries",
  },
  LEADER_NOT_AVAILABLE: {
    kafkajs: "retries, but a fenced fetch forces a group rejoin; FindCoordinator fails fatally",
    java: "producers retry; JoinGroup, SyncGroup and consumer-protocol (group.protocol=consumer) heartbeats fail fatally",
    librdkafka: "retries",
  },
};

/** True of every code: the Gateway fences SASL too (DESIGN.md, Known issues). */
const JAVA_RECONNECTS =
  "a Java client that opens a connection while a Gateway pod still serves the fence (during the fence, or at the switch as pods close their connections) fails its SASL handshake with IllegalSaslStateException: plan to restart such Java applications (seen for about 1 consumer in 4 in our tests; nothing acknowledged is lost)";

/** The preflight's notes on what clients will see during the fence answered with `errorCode`. */
export function fenceAdvice(errorCode: string): string[] {
  const evidence = EVIDENCE[errorCode];
  const head = `while fenced, every request on the route gets ${errorCode} (groups[].fence.errorCode)`;
  if (!evidence) {
    return [
      `${head}: no client library has been tested with this code here; COORDINATOR_NOT_AVAILABLE (the default) or KAFKA_STORAGE_ERROR are (DESIGN.md, "The fence's error code")`,
      `Java clients: ${JAVA_RECONNECTS}`,
    ];
  }
  return [
    `${head}; what each client library does meanwhile:`,
    `kafkajs: ${evidence.kafkajs}`,
    `Java (kafka-clients): ${evidence.java}; and ${JAVA_RECONNECTS}`,
    `librdkafka: ${evidence.librdkafka}`,
  ];
}
