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
}

export const SASL_MECHANISMS = ["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] as const;
export const SOURCE_AUTH_MECHANISMS = [...SASL_MECHANISMS, "MTLS"] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];
export type SourceAuthMechanism = (typeof SOURCE_AUTH_MECHANISMS)[number];

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

export type SourceAuth =
  | { readonly mechanism: SaslMechanism; readonly username: string; readonly password: pulumi.Output<string> }
  | { readonly mechanism: "MTLS"; readonly certificatePem: string; readonly privateKeyPem: pulumi.Output<string> };

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
  /** `cluster.link.prefix`, prepended to every mirror topic's name. */
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
  /** Set to true and run `pulumi up` to cut the group over. */
  readonly cutover: boolean;
  /** After the switch, one record through the route and back. @default unset: no canary */
  readonly canary?: CanaryConfig;
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
