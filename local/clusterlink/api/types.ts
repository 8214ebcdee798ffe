/**
 * The emulator's own view of the REST v3 shapes it answers with, written from description.ts (the public API)
 * and never imported from the product's client: a mistake in the client's types must show up as a failed
 * contract test, not be reproduced here.
 */
import type {
  LINK_ERRORS,
  LINK_STATES,
  LINK_TASK_STATES,
  MIRROR_TOPIC_ERRORS,
  MIRROR_TOPIC_STATUSES,
} from "./description";

export type LinkState = (typeof LINK_STATES)[number];
export type LinkErrorCode = (typeof LINK_ERRORS)[number];
export type LinkTaskState = (typeof LINK_TASK_STATES)[number];
export type MirrorTopicStatus = (typeof MIRROR_TOPIC_STATUSES)[number];
export type MirrorTopicError = (typeof MIRROR_TOPIC_ERRORS)[number];

export interface ResourceMetadata {
  self: string;
  resource_name: string | null;
}

export interface ResourceCollection<T> {
  kind: string;
  metadata: { self: string; next: string | null };
  data: T[];
}

export interface ConfigData {
  name: string;
  value: string | null;
}

export interface LinkTaskData {
  task_name: string;
  state: LinkTaskState;
  errors: { error_code: string; error_message: string }[];
}

export interface LinkData {
  kind: "KafkaLinkData";
  metadata: ResourceMetadata;
  source_cluster_id: string | null;
  destination_cluster_id: string | null;
  remote_cluster_id: string | null;
  link_name: string;
  link_id: string;
  cluster_link_id: string;
  topic_names: string[];
  link_state: LinkState;
  link_error: LinkErrorCode;
  link_error_message: string | null;
  tasks?: LinkTaskData[];
}

export interface LinkConfigData {
  kind: "KafkaLinkConfigData";
  metadata: ResourceMetadata;
  cluster_id: string;
  name: string;
  value: string | null;
  is_default: boolean;
  is_read_only: boolean;
  is_sensitive: boolean;
  source: string;
  synonyms: string[];
  link_name: string;
}

export interface MirrorLagData {
  partition: number;
  lag: number;
  last_source_fetch_offset: number;
}

export interface MirrorTopicData {
  kind: "KafkaMirrorData";
  metadata: ResourceMetadata;
  link_name: string;
  mirror_topic_name: string;
  source_topic_name: string;
  num_partitions: number;
  mirror_lags: MirrorLagData[];
  mirror_status: MirrorTopicStatus;
  state_time_ms: number;
  mirror_topic_error: MirrorTopicError;
  mirror_state_transition_errors?: { error_code: string; error_message: string }[];
}

export interface AlterMirrorStatusData {
  kind: "AlterMirrorsData";
  mirror_topic_name: string;
  error_code: number | null;
  error_message: string | null;
  mirror_lags: MirrorLagData[];
  messages_truncated: number | null;
  partition_level_truncation_data: { partition_id: number; offset_truncated_to: number; messages_truncated: number }[];
}
