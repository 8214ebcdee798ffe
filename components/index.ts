export * from "./awsNetworking";
export * from "./clusterAccess";
export * from "./clusterAcls";
export * from "./confluentDestination";
export * from "./gatewayRoutes";
export * from "./migrationGroup";
export * from "./mskSource";
