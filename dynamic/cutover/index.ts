export { GroupCutover } from "./resource";
export type { DeepInput, GroupCutoverArgs } from "./resource";
export type { CutoverInputs, CutoverOutputs, KafkaAccess, TimelineEntry } from "./inputs";
