export * from "./clusterLink";
export * from "./mirrorTopic";
export { UNKNOWN } from "./inputs";
export { groupFilters, jaasConfig, linkConfigs, type ClusterLinkInputs, type ClusterLinkOutputs } from "./linkConfigs";
export type { MirrorTopicInputs, MirrorTopicOutputs } from "./mirrorTopicProvider";
