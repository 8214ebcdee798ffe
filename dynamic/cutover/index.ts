export { GroupCutover } from "./resource";
export type { DeepInput, GroupCutoverArgs } from "./resource";
export type { BlockedWindow, CutoverInputs, CutoverOutputs, KafkaAccess, TimelineEntry, WaitedOn } from "./inputs";
