// The Kubernetes API emulator: the calls the kubernetes provider and our own clients make for the
// Gateway CR, Secrets and SelfSubjectAccessReview. See README.md for what is served and verified.
export { startKubernetesApi, resolveStateDir, kubernetesDir, USER_NAME } from "./server";
export type { KubernetesApi, KubernetesApiOptions } from "./server";
export {
  startKubernetesApiDaemon,
  stopKubernetesApiDaemon,
  runningKubernetesApiDaemon,
  endpointFile,
  pidFile,
} from "./daemon";
export type { DaemonInfo, DaemonOptions } from "./daemon";
export { Registry } from "./registry";
export type { WriteOptions, PatchOptions, DeleteOptions } from "./registry";
export { Store } from "./store";
export type { Change, ChangeListener, StoreSnapshot } from "./store";
export { allowAll, denyRules, policyFromEnv } from "./policy";
export type { AccessAttributes, AccessPolicy } from "./policy";
export {
  RESOURCE_TYPES,
  GATEWAY_GROUP,
  GATEWAY_VERSION,
  apiVersionOf,
  findType,
  typeKey,
  gatewayCrd,
} from "./resources";
export type { ResourceType } from "./resources";
export { ApiError } from "./errors";
export { apply, recordUpdate, conflictError, inScope } from "./apply";
export { FieldSet, fieldsOf, toFieldsV1, fromFieldsV1 } from "./managedFields";
export { renderKubeconfig, writeKubeconfig } from "./kubeconfig";
export type { JsonObject, JsonValue, KubeObject, ManagedFieldsEntry, ObjectMeta, WatchEvent } from "./types";
