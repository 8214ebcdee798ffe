export * from "./confluentDestination";
export * from "./gatewayRoutes";
export * from "./migrationGroup";
