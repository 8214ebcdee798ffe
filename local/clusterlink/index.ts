// Cluster Linking REST v3 emulator on top of the two real local Kafka clusters. See README.md.
export { startClusterLinkEmulator, clusterLinkDir, DEFAULT_CLUSTER_ID } from "./server";
export type { ClusterLinkEmulator, ClusterLinkEmulatorOptions } from "./server";
export {
  startClusterLinkDaemon,
  stopClusterLinkDaemon,
  runningClusterLinkDaemon,
  clusterLinkEndpoints,
  daemonEndpointFile,
  daemonPidFile,
} from "./daemon";
export type { DaemonInfo, DaemonOptions } from "./daemon";
export type { Fault } from "./faults";
