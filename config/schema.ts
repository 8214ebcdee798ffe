import * as pulumi from "@pulumi/pulumi";

/**
 * The validated stack config. Raw YAML never reaches components: `validateStackConfig` turns it into
 * these types or fails with every problem named. Secrets are `pulumi.Output<string>` marked secret.
 */
export interface StackConfig {
  readonly source: SourceConfig;
  readonly destination: DestinationConfig;
  readonly link: LinkConfig;
  readonly gateway: GatewayConfig;
  readonly groups: readonly MigrationGroupConfig[];
  readonly protection: ProtectionConfig;
}

/**
 * What `pulumi destroy`, or a replacement, does to what clients depend on. `retain`: removed from the
 * stack's state and left running (`retainOnDelete`); `protect`: that, and Pulumi refuses to destroy or
 * replace it at all until it is unprotected (`protect`); `delete`: removed like anything else.
 */
export const RETENTION_MODES = ["retain", "protect", "delete"] as const;
export type RetentionMode = (typeof RETENTION_MODES)[number];

/** `kafka-cutover:protection`: what destroy keeps, and the migrations the operator gives up. */
export interface ProtectionConfig {
  /**
   * Create mode: the Confluent environment, cluster and network, and the principals, API keys and ACLs the
   * groups' applications and the Gateway sign in with. Nothing in existing mode (the stack declares none).
   * @default "retain"
   */
  readonly destination: RetentionMode;
  /** The Gateway CR and the Secrets its routes read. @default "retain" */
  readonly gateway: RetentionMode;
  /**
   * Groups, not cut over, whose migration the operator gives up: deleting their mirror topics (destroy, or the
   * topic or group removed) fails them over (mirroring stops, the copy stays) instead of being refused.
   * Takes effect once a `pulumi up` has recorded it. @default []
   */
  readonly abandonGroups: readonly string[];
}

export const SASL_MECHANISMS = ["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** Kafka's own rule for topic names (`Topic.validate`). */
export const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export const SECURITY_PROTOCOLS = ["SASL_SSL", "SASL_PLAINTEXT", "SSL", "PLAINTEXT"] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

/** A broker address, `host:port`. */
export interface BrokerAddress {
  readonly host: string;
  readonly port: number;
}

/** The cluster we migrate from: Amazon MSK or any Apache Kafka. */
export interface SourceConfig {
  /** Where to find the brokers: a bootstrap list, or an MSK cluster read through `aws.msk.getCluster`. */
  readonly location: { readonly kind: "bootstrap"; readonly brokers: readonly BrokerAddress[] } | MskLocation;
  /** The Kafka cluster id (DescribeCluster), which the cluster link names as its source. */
  readonly clusterId?: string;
  readonly securityProtocol: SecurityProtocol;
  readonly auth: SourceAuth;
  /** PEM CA certificates the source's brokers chain to (the link, the cutover, the Gateway). @default the system trust store */
  readonly caCertificates?: string;
}

/** An MSK cluster in the stack's AWS account and region, found by name; the link uses its SASL/SCRAM listener. */
export interface MskLocation {
  readonly kind: "msk";
  readonly clusterName: string;
  /**
   * Use MSK's public SASL/SCRAM bootstrap (port 9196) instead of the private one (9096): needed when
   * Confluent Cloud reaches MSK over the internet rather than over the private network. @default false
   */
  readonly publicEndpoints: boolean;
}

/** SASL only: mTLS to the source is not offered (the validator says why and what to do). */
export interface SourceAuth {
  readonly mechanism: SaslMechanism;
  readonly username: string;
  readonly password: pulumi.Output<string>;
}

export type DestinationConfig = ExistingDestinationConfig | CreateDestinationConfig;

/** A Confluent Cloud cluster that already exists; the program only references it. */
export interface ExistingDestinationConfig {
  readonly mode: "existing";
  readonly clusterId: string;
  readonly bootstrap: readonly BrokerAddress[];
  readonly restEndpoint: string;
  readonly securityProtocol: SecurityProtocol;
  readonly apiKey: string;
  readonly apiSecret: pulumi.Output<string>;
  /** PEM CA certificates the destination's brokers chain to. @default the system trust store */
  readonly caCertificates?: string;
  /** PEM CA certificates the REST endpoint's certificate chains to. @default the system trust store */
  readonly restCaCertificates?: string;
}

export const NETWORKING_TYPES = ["privatelink", "peering", "transitgateway"] as const;
export type NetworkingType = (typeof NETWORKING_TYPES)[number];

/** A Confluent Cloud environment and dedicated cluster the program creates, with its AWS networking. */
export interface CreateDestinationConfig {
  readonly mode: "create";
  readonly environmentName: string;
  readonly region: string;
  readonly cluster: {
    readonly name: string;
    readonly ckus: number;
    readonly availability: "SINGLE_ZONE" | "MULTI_ZONE";
    readonly zones: readonly string[];
  };
  readonly networking: {
    readonly type: NetworkingType;
    /** The customer VPC the clients, the Gateway and the link's source live in. */
    readonly vpcId: string;
    /** privatelink: the subnets of the VPC endpoint, one per zone. */
    readonly subnetIds: readonly string[];
    /** peering, transitgateway: the /16 Confluent allocates for its network; must not overlap the VPC. */
    readonly cidr?: string;
    /** peering, transitgateway: the route tables that get a route to `cidr`. */
    readonly routeTableIds: readonly string[];
    /**
     * privatelink, peering: the 12-digit AWS account that owns the VPC. Unset means the account the
     * stack's AWS credentials belong to (`aws.getCallerIdentity`).
     */
    readonly awsAccountId?: string;
    /** transitgateway: the transit gateway (`tgw-…`) shared with Confluent through AWS RAM. */
    readonly transitGatewayId?: string;
  };
}

/** The cluster link that mirrors the source's topics and consumer offsets onto the destination. */
export interface LinkConfig {
  readonly name: string;
  /** `consumer.offset.sync.ms`: how often committed offsets are copied; bounds the cutover's wait for one more sync. */
  readonly offsetSyncMs: number;
  readonly aclSync: boolean;
  /**
   * `cluster.link.prefix`, prepended to every mirror topic's name. Validation refuses it: every group is cut
   * over through a Gateway route, which keeps topic names, and this program has no group that is not routed.
   */
  readonly prefix?: string;
}

export const ROUTE_AUTH_MODES = ["passthrough", "swap"] as const;
export type RouteAuthMode = (typeof ROUTE_AUTH_MODES)[number];

/** The Gateway custom resource (Confluent for Kubernetes) that the clients talk to. */
export interface GatewayConfig {
  readonly namespace: string;
  readonly name: string;
  readonly kubeconfig: pulumi.Output<string>;
  readonly sourceDomain: string;
  readonly destinationDomain: string;
  /** Broker ids of each cluster, for port-based broker identification (`nodeIdRanges`). */
  readonly sourceNodeIds: NodeIdRange;
  readonly destinationNodeIds: NodeIdRange;
  /** How `auth: swap` routes translate credentials once they lead to the destination. */
  readonly swap: SwapConfig;
  /**
   * Secret: client principal → `<apiKey>/<apiSecret>` on the destination, the File secret store the
   * Gateway looks principals up in. Required when a group uses `auth: swap` with an existing destination
   * and PLAIN out; refused in create mode (each swap group's entries come from the key the stack creates).
   */
  readonly swapCredentials?: pulumi.Output<Readonly<Record<string, string>>>;
  /** Secrets: the OAuth client every swapped principal signs in with, for `swap.clusterAuthentication: oauth`. */
  readonly oauthClient?: OAuthClient;
  /** The route through which SCRAM clients' credentials are registered with the Gateway (AlterUserScramCredentials). */
  readonly scramRegistrationEndpoint?: BrokerAddress;
  /** `spec.replicas`: how many Gateway pods serve the routes. @default 3 */
  readonly replicas: number;
  /**
   * `spec.hotReload.enabled`: pods reload a changed config in place. Off, every fence and switch rolls the pods,
   * and clients are held at least until the old pods have drained. @default true
   */
  readonly hotReload: boolean;
  /**
   * PEM CA certificates the routes' server certificate chains to, for the program's own clients of a route (the
   * canary). Routes speak TLS when the source does, so clients keep their `security.protocol`.
   * @default the system trust store
   */
  readonly routeCaCertificates?: string;
}

export interface OAuthClient {
  readonly clientId: pulumi.Output<string>;
  readonly clientSecret: pulumi.Output<string>;
}

export interface NodeIdRange {
  readonly start: number;
  readonly end: number;
}

export const SWAP_CLIENT_AUTH = ["scram", "plain", "mtls"] as const;
export const SWAP_CLUSTER_AUTH = ["plain", "oauth"] as const;

/** The translation paths the Gateway offers: SCRAM, PLAIN or mTLS in; PLAIN API key or OAUTHBEARER out. */
export interface SwapConfig {
  readonly clientAuthentication: (typeof SWAP_CLIENT_AUTH)[number];
  readonly clusterAuthentication: (typeof SWAP_CLUSTER_AUTH)[number];
  /** OAUTHBEARER token endpoint, for `clusterAuthentication: oauth`. */
  readonly tokenEndpointUri?: string;
  /**
   * `clusterAuthentication: oauth`: the Confluent Cloud identity pool (`pool-…`) the tokens map to, sent as
   * the `identityPoolId` SASL extension. @default unset: Confluent Cloud picks the pool from the token's claims
   */
  readonly identityPoolId?: string;
  /** mTLS: how a client certificate's subject becomes a principal, e.g. `RULE:^CN=([^,]+).*$/$1/`. */
  readonly principalMappingRules: readonly string[];
}

/** Deadlines of the cutover's steps, in milliseconds. */
export interface CutoverTimeouts {
  readonly readinessMs: number;
  readonly fenceMs: number;
  readonly promoteMs: number;
  readonly switchMs: number;
  /** How long the source's log-end offsets must stay still after the fence before anything is promoted. */
  readonly fenceVerifyMs: number;
}

/** A set of topics and the applications that produce and consume them, cut over together. */
export interface MigrationGroupConfig {
  readonly name: string;
  readonly topics: readonly string[];
  readonly consumerGroups: readonly string[];
  /** The Gateway route's bootstrap endpoint that this group's clients use. */
  readonly endpoint: BrokerAddress;
  readonly auth: RouteAuthMode;
  /**
   * `auth: swap`: the principals this group's clients sign in to the Gateway as (SCRAM or PLAIN usernames,
   * or what `principalMappingRules` make of their certificates); each becomes a secret-store entry.
   * @default [] (required when the entries are derived: create mode, or OAUTHBEARER out)
   */
  readonly principals: readonly string[];
  /** Largest total mirror lag (records) at which the cutover may start fencing. */
  readonly lagThreshold: number;
  readonly timeouts: CutoverTimeouts;
  /** The fence the cutover puts on the route while it moves the group. */
  readonly fence: { readonly errorCode: KafkaErrorName };
  /** Set to true and run `pulumi up` to cut the group over. */
  readonly cutover: boolean;
  /** After the switch, one record through the route and back. @default unset: no canary */
  readonly canary?: CanaryConfig;
  /**
   * Existing destination: source principal → the destination principal that gets its ACLs on the group's
   * topics and consumer groups (see config/aclPrincipals.ts). @default unset: no ACLs carried
   */
  readonly aclPrincipals?: Readonly<Record<string, string>>;
}

/**
 * The canary signs in to the group's route after the switch as its clients do (the route's SASL mechanism),
 * produces one record to `topic` and reads it back through the route and straight from the destination.
 */
export interface CanaryConfig {
  /** An ordinary (not mirrored) topic on the destination that `username` may write and read. */
  readonly topic: string;
  readonly username: string;
  readonly mechanism: SaslMechanism;
  /** From the secret `canaryPasswords`, keyed by group name. */
  readonly password: pulumi.Output<string>;
}

/**
 * Kafka's protocol error names (`org.apache.kafka.common.protocol.Errors`), which a route's fence may answer
 * with. NONE is left out: a fence that answers "no error" holds nothing.
 */
export const KAFKA_ERROR_NAMES = [
  "UNKNOWN_SERVER_ERROR",
  "OFFSET_OUT_OF_RANGE",
  "CORRUPT_MESSAGE",
  "UNKNOWN_TOPIC_OR_PARTITION",
  "INVALID_FETCH_SIZE",
  "LEADER_NOT_AVAILABLE",
  "NOT_LEADER_OR_FOLLOWER",
  "REQUEST_TIMED_OUT",
  "BROKER_NOT_AVAILABLE",
  "REPLICA_NOT_AVAILABLE",
  "MESSAGE_TOO_LARGE",
  "STALE_CONTROLLER_EPOCH",
  "OFFSET_METADATA_TOO_LARGE",
  "NETWORK_EXCEPTION",
  "COORDINATOR_LOAD_IN_PROGRESS",
  "COORDINATOR_NOT_AVAILABLE",
  "NOT_COORDINATOR",
  "INVALID_TOPIC_EXCEPTION",
  "RECORD_LIST_TOO_LARGE",
  "NOT_ENOUGH_REPLICAS",
  "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
  "INVALID_REQUIRED_ACKS",
  "ILLEGAL_GENERATION",
  "INCONSISTENT_GROUP_PROTOCOL",
  "INVALID_GROUP_ID",
  "UNKNOWN_MEMBER_ID",
  "INVALID_SESSION_TIMEOUT",
  "REBALANCE_IN_PROGRESS",
  "INVALID_COMMIT_OFFSET_SIZE",
  "TOPIC_AUTHORIZATION_FAILED",
  "GROUP_AUTHORIZATION_FAILED",
  "CLUSTER_AUTHORIZATION_FAILED",
  "INVALID_TIMESTAMP",
  "UNSUPPORTED_SASL_MECHANISM",
  "ILLEGAL_SASL_STATE",
  "UNSUPPORTED_VERSION",
  "TOPIC_ALREADY_EXISTS",
  "INVALID_PARTITIONS",
  "INVALID_REPLICATION_FACTOR",
  "INVALID_REPLICA_ASSIGNMENT",
  "INVALID_CONFIG",
  "NOT_CONTROLLER",
  "INVALID_REQUEST",
  "UNSUPPORTED_FOR_MESSAGE_FORMAT",
  "POLICY_VIOLATION",
  "OUT_OF_ORDER_SEQUENCE_NUMBER",
  "DUPLICATE_SEQUENCE_NUMBER",
  "INVALID_PRODUCER_EPOCH",
  "INVALID_TXN_STATE",
  "INVALID_PRODUCER_ID_MAPPING",
  "INVALID_TRANSACTION_TIMEOUT",
  "CONCURRENT_TRANSACTIONS",
  "TRANSACTION_COORDINATOR_FENCED",
  "TRANSACTIONAL_ID_AUTHORIZATION_FAILED",
  "SECURITY_DISABLED",
  "OPERATION_NOT_ATTEMPTED",
  "KAFKA_STORAGE_ERROR",
  "LOG_DIR_NOT_FOUND",
  "SASL_AUTHENTICATION_FAILED",
  "UNKNOWN_PRODUCER_ID",
  "REASSIGNMENT_IN_PROGRESS",
  "DELEGATION_TOKEN_AUTH_DISABLED",
  "DELEGATION_TOKEN_NOT_FOUND",
  "DELEGATION_TOKEN_OWNER_MISMATCH",
  "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED",
  "DELEGATION_TOKEN_AUTHORIZATION_FAILED",
  "DELEGATION_TOKEN_EXPIRED",
  "INVALID_PRINCIPAL_TYPE",
  "NON_EMPTY_GROUP",
  "GROUP_ID_NOT_FOUND",
  "FETCH_SESSION_ID_NOT_FOUND",
  "INVALID_FETCH_SESSION_EPOCH",
  "LISTENER_NOT_FOUND",
  "TOPIC_DELETION_DISABLED",
  "FENCED_LEADER_EPOCH",
  "UNKNOWN_LEADER_EPOCH",
  "UNSUPPORTED_COMPRESSION_TYPE",
  "STALE_BROKER_EPOCH",
  "OFFSET_NOT_AVAILABLE",
  "MEMBER_ID_REQUIRED",
  "PREFERRED_LEADER_NOT_AVAILABLE",
  "GROUP_MAX_SIZE_REACHED",
  "FENCED_INSTANCE_ID",
  "ELIGIBLE_LEADERS_NOT_AVAILABLE",
  "ELECTION_NOT_NEEDED",
  "NO_REASSIGNMENT_IN_PROGRESS",
  "GROUP_SUBSCRIBED_TO_TOPIC",
  "INVALID_RECORD",
  "UNSTABLE_OFFSET_COMMIT",
  "THROTTLING_QUOTA_EXCEEDED",
  "PRODUCER_FENCED",
  "RESOURCE_NOT_FOUND",
  "DUPLICATE_RESOURCE",
  "UNACCEPTABLE_CREDENTIAL",
  "INCONSISTENT_VOTER_SET",
  "INVALID_UPDATE_VERSION",
  "FEATURE_UPDATE_FAILED",
  "PRINCIPAL_DESERIALIZATION_FAILURE",
  "SNAPSHOT_NOT_FOUND",
  "POSITION_OUT_OF_RANGE",
  "UNKNOWN_TOPIC_ID",
  "DUPLICATE_BROKER_REGISTRATION",
  "BROKER_ID_NOT_REGISTERED",
  "INCONSISTENT_TOPIC_ID",
  "INCONSISTENT_CLUSTER_ID",
  "TRANSACTIONAL_ID_NOT_FOUND",
  "FETCH_SESSION_TOPIC_ID_ERROR",
  "INELIGIBLE_REPLICA",
  "NEW_LEADER_ELECTED",
  "OFFSET_MOVED_TO_TIERED_STORAGE",
  "FENCED_MEMBER_EPOCH",
  "UNRELEASED_INSTANCE_ID",
  "UNSUPPORTED_ASSIGNOR",
  "STALE_MEMBER_EPOCH",
  "MISMATCHED_ENDPOINT_TYPE",
  "UNSUPPORTED_ENDPOINT_TYPE",
  "UNKNOWN_CONTROLLER_ID",
  "UNKNOWN_SUBSCRIPTION_ID",
  "TELEMETRY_TOO_LARGE",
  "INVALID_REGISTRATION",
  "TRANSACTION_ABORTABLE",
] as const;
export type KafkaErrorName = (typeof KAFKA_ERROR_NAMES)[number];
