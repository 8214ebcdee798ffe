/** The parts of a `platform.confluent.io/v1beta1` Gateway the emulator reads (see research/confluent-apis.md §3). */
export interface GatewayResource {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; generation?: number; resourceVersion?: string };
  spec: GatewaySpec;
  status?: GatewayStatus;
}

export interface GatewaySpec {
  configId?: string;
  replicas?: number;
  hotReload?: { enabled?: boolean };
  /** The pods' environment; GATEWAY_OPTS holds JVM options, e.g. the OAuth allowed-URLs system property. */
  podTemplate?: { envVars?: { name: string; value?: string }[] };
  secretStores?: {
    name: string;
    provider?: { type?: string; configSecretRef?: string; clientCredentialsRef?: string };
  }[];
  streamingDomains?: StreamingDomainSpec[];
  routes?: RouteSpec[];
}

export interface StreamingDomainSpec {
  name: string;
  type?: string;
  kafkaCluster?: {
    bootstrapServers?: { id: string; endpoint: string; tls?: { secretRef?: string } }[];
    nodeIdRanges?: { name?: string; start: number; end: number }[];
  };
}

export interface RouteSpec {
  name: string;
  endpoint: string;
  fence?: { scope?: string; errorCode?: string | number };
  brokerIdentificationStrategy?: { type?: string; pattern?: string };
  /** Emulator extension: overrides the streaming domain's nodeIdRanges for this route's ports. */
  nodeIdRanges?: { name?: string; start: number; end: number }[];
  streamingDomain?: { name?: string; bootstrapServerId?: string };
  security?: {
    auth?: string;
    secretStore?: string;
    client?: {
      tls?: { secretRef?: string };
      authentication?: {
        type?: string;
        scram?: { alterScramCredentials?: boolean; admin?: { secretRef?: string } };
        mtls?: { principalMappingRules?: string[]; sslClientAuthentication?: string };
        jaasConfigPassThrough?: { secretRef?: string };
      };
    };
    cluster?: {
      authentication?: {
        type?: string;
        jaasConfigPassThrough?: { secretRef?: string };
        oauthSettings?: { tokenEndpointUri?: string };
      };
    };
  };
}

export interface GatewayCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface GatewayStatus {
  phase?: string;
  observedGeneration?: number;
  conditions?: GatewayCondition[];
}
