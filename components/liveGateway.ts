/**
 * The program's one read of the live cluster: the Gateway CR's routes as they are, so that the declared
 * spec follows where each route really is (gatewaySpec.ts, `declaredRoute`). Read-only.
 */
import { KubernetesClient, KubeObject } from "../clients/kubernetes";
import { GATEWAY_API_VERSION, GATEWAY_PLURAL, RouteSpec } from "./gatewaySpec";

/** Per route name, the route in the live CR; undefined when the CR does not exist. */
export type LiveRoutes = Readonly<Record<string, RouteSpec>> | undefined;

/** Reads the live routes of Gateway `namespace/name` with `kubeconfig`. Rejects rather than guess. */
export type LiveRoutesReader = (kubeconfig: string, namespace: string, name: string) => Promise<LiveRoutes>;

interface GatewayObject extends KubeObject {
  spec?: { routes?: RouteSpec[] };
}

export const readLiveRoutes: LiveRoutesReader = async (kubeconfig, namespace, name) => {
  const path = `/apis/${GATEWAY_API_VERSION}/namespaces/${namespace}/${GATEWAY_PLURAL}/${name}`;
  let cr: GatewayObject | undefined;
  try {
    cr = await new KubernetesClient({ kubeconfig }).get<GatewayObject>(path);
  } catch (e) {
    // Guessing would be unsafe (a promoted route declared back on the source): the update stops instead.
    throw new Error(
      `reading the live Gateway CR ${namespace}/${name}, which decides each group's declared route: ${(e as Error).message}`,
    );
  }
  if (!cr) return undefined;
  return Object.fromEntries((cr.spec?.routes ?? []).map((r) => [r.name, r]));
};
