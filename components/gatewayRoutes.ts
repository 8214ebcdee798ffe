import { GatewayConfig, MigrationGroupConfig } from "../config";

/** Where one migration group's Gateway route sends its clients. */
export interface RouteTarget {
    readonly route: string;
    readonly endpoint: string;
    readonly streamingDomain: string;
    readonly auth: MigrationGroupConfig["auth"];
}

/**
 * The declared end state of every route: a group whose config says `cutover: true` points at the
 * destination domain, every other group at the source. The Gateway CR is declared from this, so after a
 * cutover the declared CR equals what the cutover applied and the next update is a no-op.
 */
export function routeTargets(gateway: GatewayConfig, groups: readonly MigrationGroupConfig[]): RouteTarget[] {
    return groups.map((g) => ({
        route: g.name,
        endpoint: `${g.endpoint.host}:${g.endpoint.port}`,
        streamingDomain: g.cutover ? gateway.destinationDomain : gateway.sourceDomain,
        auth: g.auth,
    }));
}
