export * from "./errors";
export * from "./schema";
export type { RawStackConfig } from "./reader";
export {
  validateStackConfig,
  validateSourceConfig,
  validateLinkWatchConfig,
  type LinkWatchConfig,
  DEFAULT_TIMEOUTS,
  DEFAULT_OFFSET_SYNC_MS,
  DEFAULT_PROTECTION,
} from "./validate";
export { readStackConfig } from "./read";
