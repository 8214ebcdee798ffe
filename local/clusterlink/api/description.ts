/**
 * The part of Confluent Cloud's Kafka REST v3 API that Cluster Linking uses, transcribed from its public
 * OpenAPI description (paths, operations, schemas; see ../README.md, "Where the shapes come from"). Neither the
 * product's client nor the emulator is the source of these shapes: the contract test checks both against them.
 *
 * Schemas are OpenAPI 3.0 (JSON Schema with `nullable`). `additionalProperties: false` is ours: a field the
 * API does not define is a typo or an invention on either side, and we want to hear about it.
 */

type Schema = Record<string, unknown>;

const nullable = (schema: Schema): Schema => ({ ...schema, nullable: true });
const string: Schema = { type: "string" };
const int: Schema = { type: "integer" };
const strictObject = (required: string[], properties: Record<string, Schema>): Schema => ({
  type: "object",
  required,
  properties,
  additionalProperties: false,
});

const ResourceMetadata = strictObject(["self"], { self: string, resource_name: nullable(string) });
const ResourceCollectionMetadata = strictObject(["self"], { self: string, next: nullable(string) });

const collection = (kind: string, item: Schema): Schema =>
  strictObject(["kind", "metadata", "data"], {
    kind: { const: kind },
    metadata: ResourceCollectionMetadata,
    data: { type: "array", items: item },
  });

export const LINK_STATES = ["ACTIVE", "FAILED", "UNAVAILABLE", "PAUSED", "UNKNOWN"] as const;
export const LINK_ERRORS = [
  "UNKNOWN",
  "NO_ERROR",
  "AUTHENTICATION_ERROR",
  "UNRESOLVABLE_BOOTSTRAP_ERROR",
  "INVALID_BOOTSTRAP_INTERNAL_ENDPOINT_ERROR",
  "BOOTSTRAP_TCP_CONNECTION_FAILED_ERROR",
  "TIMEOUT_ERROR",
] as const;
export const LINK_TASK_STATES = [
  "UNKNOWN",
  "ACTIVE",
  "IN_ERROR",
  "NOT_CONFIGURED",
  "LINK_FAILED",
  "LINK_UNAVAILABLE",
  "LINK_PAUSED",
] as const;
export const MIRROR_TOPIC_STATUSES = [
  "ACTIVE",
  "FAILED",
  "LINK_FAILED",
  "LINK_PAUSED",
  "PAUSED",
  "PENDING_STOPPED",
  "SOURCE_UNAVAILABLE",
  "STOPPED",
  "PENDING_MIRROR",
  "PENDING_SYNCHRONIZE",
  "PENDING_SETUP_FOR_RESTORE",
  "PENDING_RESTORE",
] as const;
export const MIRROR_TOPIC_ERRORS = [
  "UNKNOWN",
  "NOT_SET",
  "NO_ERROR",
  "SOURCE_TOPIC_MAY_BE_DELETED",
  "SOURCE_TOPIC_ID_CHANGED",
  "SOURCE_PARTITIONS_DECREASED",
  "NON_MONOTONIC_LOG_APPEND_EPOCH",
  "UNEXPECTED_TRUNCATION",
  "UNSUPPORTED_MESSAGE_FORMAT",
  "NON_MONOTONIC_SOURCE_EPOCH",
  "ILLEGAL_STATE",
  "UNSUPPORTED_MIRROR_STATE",
] as const;

const ConfigData = strictObject(["name", "value"], { name: string, value: nullable(string) });
const ErrorEntry = strictObject(["error_code", "error_message"], { error_code: string, error_message: string });
const MirrorLag = strictObject(["partition", "lag", "last_source_fetch_offset"], {
  partition: int,
  lag: int,
  last_source_fetch_offset: int,
});

const ListLinksResponseData = strictObject(["kind", "metadata", "link_name", "cluster_link_id", "topic_names"], {
  kind: { const: "KafkaLinkData" },
  metadata: ResourceMetadata,
  source_cluster_id: nullable(string),
  destination_cluster_id: nullable(string),
  remote_cluster_id: nullable(string),
  link_name: string,
  link_id: string,
  cluster_link_id: string,
  topic_names: { type: "array", items: string },
  link_state: { enum: [...LINK_STATES] },
  link_error: { enum: [...LINK_ERRORS] },
  link_error_message: nullable(string),
  tasks: nullable({
    type: "array",
    items: strictObject(["task_name", "state", "errors"], {
      task_name: string,
      state: { enum: [...LINK_TASK_STATES] },
      errors: { type: "array", items: ErrorEntry },
    }),
  }),
  category_counts: nullable({
    type: "array",
    items: strictObject(["state_category", "count"], {
      state_category: { enum: ["PAUSED", "IN_ERROR", "PENDING", "ACTIVE", "NOT_APPLICABLE"] },
      count: int,
    }),
  }),
});

const ListLinkConfigsResponseData = strictObject(
  [
    "kind",
    "metadata",
    "cluster_id",
    "name",
    "value",
    "is_default",
    "is_read_only",
    "is_sensitive",
    "source",
    "synonyms",
    "link_name",
  ],
  {
    kind: { const: "KafkaLinkConfigData" },
    metadata: ResourceMetadata,
    cluster_id: string,
    name: string,
    value: nullable(string),
    is_default: { type: "boolean" },
    is_read_only: { type: "boolean" },
    is_sensitive: { type: "boolean" },
    source: string,
    synonyms: { type: "array", items: string },
    link_name: string,
  },
);

const ListMirrorTopicsResponseData = strictObject(
  [
    "kind",
    "metadata",
    "link_name",
    "mirror_topic_name",
    "source_topic_name",
    "num_partitions",
    "mirror_lags",
    "mirror_status",
    "state_time_ms",
  ],
  {
    kind: { const: "KafkaMirrorData" },
    metadata: ResourceMetadata,
    link_name: string,
    mirror_topic_name: string,
    source_topic_name: string,
    num_partitions: int,
    mirror_lags: { type: "array", items: MirrorLag },
    mirror_status: { enum: [...MIRROR_TOPIC_STATUSES] },
    state_time_ms: int,
    mirror_topic_error: { enum: [...MIRROR_TOPIC_ERRORS] },
    mirror_state_transition_errors: { type: "array", items: ErrorEntry },
  },
);

const AlterMirrorStatusResponseData = strictObject(
  [
    "kind",
    "mirror_topic_name",
    "error_code",
    "error_message",
    "mirror_lags",
    "messages_truncated",
    "partition_level_truncation_data",
  ],
  {
    kind: { const: "AlterMirrorsData" },
    mirror_topic_name: string,
    error_code: nullable(int),
    error_message: nullable(string),
    mirror_lags: { type: "array", items: MirrorLag },
    messages_truncated: nullable(int),
    partition_level_truncation_data: {
      type: "array",
      items: strictObject(["partition_id", "offset_truncated_to", "messages_truncated"], {
        partition_id: int,
        offset_truncated_to: int,
        messages_truncated: int,
      }),
    },
  },
);

/** Request bodies. */
const CreateLinkRequestData = strictObject([], {
  source_cluster_id: string,
  destination_cluster_id: string,
  remote_cluster_id: string,
  cluster_link_id: string,
  configs: { type: "array", items: ConfigData },
});
const CreateMirrorTopicRequestData = strictObject(["source_topic_name"], {
  source_topic_name: string,
  mirror_topic_name: string,
  replication_factor: int,
  configs: { type: "array", items: ConfigData },
});
const AlterMirrorsRequestData = strictObject([], {
  mirror_topic_names: { type: "array", items: string },
  mirror_topic_name_pattern: string,
});
const UpdateLinkConfigRequestData = strictObject(["value"], { value: string });
const AlterConfigBatchRequestData = strictObject(["data"], {
  data: {
    type: "array",
    items: strictObject(["name"], {
      name: string,
      value: nullable(string),
      operation: { enum: ["SET", "DELETE"] },
    }),
  },
  validate_only: { type: "boolean" },
});

/** `Error`: every failure's body (the 429 page excepted, which is HTML). */
export const ERROR_SCHEMA: Schema = strictObject(["error_code", "message"], {
  error_code: int,
  message: nullable(string),
});

export interface Operation {
  readonly id: string;
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** Under /kafka/v3/clusters/{cluster_id}; `{name}` is one path segment. */
  readonly path: string;
  readonly query: readonly string[];
  /** Undefined: the operation takes no body. */
  readonly request?: Schema;
  readonly success: number;
  /** Undefined: the success answer has no content. */
  readonly response?: Schema;
}

const ACTION = { query: ["validate_only"], request: AlterMirrorsRequestData, success: 200 } as const;
const actionResult = collection("KafkaPromoteMirror", AlterMirrorStatusResponseData);

export const OPERATIONS: readonly Operation[] = [
  {
    id: "listKafkaLinks",
    method: "GET",
    path: "/links",
    query: [],
    success: 200,
    response: collection("KafkaLinkDataList", ListLinksResponseData),
  },
  {
    id: "createKafkaLink",
    method: "POST",
    path: "/links",
    query: ["link_name", "validate_only", "validate_link"],
    request: CreateLinkRequestData,
    success: 204,
  },
  {
    id: "getKafkaLink",
    method: "GET",
    path: "/links/{link_name}",
    query: ["include_tasks"],
    success: 200,
    response: ListLinksResponseData,
  },
  {
    id: "deleteKafkaLink",
    method: "DELETE",
    path: "/links/{link_name}",
    query: ["force", "validate_only"],
    success: 200,
  },
  {
    id: "listKafkaLinkConfigs",
    method: "GET",
    path: "/links/{link_name}/configs",
    query: [],
    success: 200,
    response: collection("KafkaLinkConfigDataList", ListLinkConfigsResponseData),
  },
  {
    id: "getKafkaLinkConfigs",
    method: "GET",
    path: "/links/{link_name}/configs/{config_name}",
    query: [],
    success: 200,
    response: ListLinkConfigsResponseData,
  },
  {
    id: "updateKafkaLinkConfig",
    method: "PUT",
    path: "/links/{link_name}/configs/{config_name}",
    query: [],
    request: UpdateLinkConfigRequestData,
    success: 204,
  },
  {
    id: "deleteKafkaLinkConfig",
    method: "DELETE",
    path: "/links/{link_name}/configs/{config_name}",
    query: [],
    success: 204,
  },
  {
    id: "updateKafkaLinkConfigBatch",
    method: "PUT",
    path: "/links/{link_name}/configs:alter",
    query: ["validate_only"],
    request: AlterConfigBatchRequestData,
    success: 204,
  },
  {
    id: "listKafkaMirrorTopicsUnderLink",
    method: "GET",
    path: "/links/{link_name}/mirrors",
    query: ["mirror_status"],
    success: 200,
    response: collection("KafkaMirrorDataList", ListMirrorTopicsResponseData),
  },
  {
    id: "createKafkaMirrorTopic",
    method: "POST",
    path: "/links/{link_name}/mirrors",
    query: [],
    request: CreateMirrorTopicRequestData,
    success: 204,
  },
  {
    id: "listKafkaMirrorTopics",
    method: "GET",
    path: "/links/-/mirrors",
    query: ["mirror_status"],
    success: 200,
    response: collection("KafkaMirrorDataList", ListMirrorTopicsResponseData),
  },
  {
    id: "readKafkaMirrorTopic",
    method: "GET",
    path: "/links/{link_name}/mirrors/{mirror_topic_name}",
    query: ["include_state_transition_errors"],
    success: 200,
    response: ListMirrorTopicsResponseData,
  },
  {
    id: "updateKafkaMirrorTopicsPromote",
    method: "POST",
    path: "/links/{link_name}/mirrors:promote",
    ...ACTION,
    response: actionResult,
  },
  {
    id: "updateKafkaMirrorTopicsFailover",
    method: "POST",
    path: "/links/{link_name}/mirrors:failover",
    ...ACTION,
    response: actionResult,
  },
  {
    id: "updateKafkaMirrorTopicsPause",
    method: "POST",
    path: "/links/{link_name}/mirrors:pause",
    ...ACTION,
    response: actionResult,
  },
  {
    id: "updateKafkaMirrorTopicsResume",
    method: "POST",
    path: "/links/{link_name}/mirrors:resume",
    ...ACTION,
    response: actionResult,
  },
];
