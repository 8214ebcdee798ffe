/**
 * Every object a Kubernetes API serves, found through discovery as kubectl does (`/api/v1`, then each
 * group's preferred version under `/apis`), so a type added later is searched too.
 */
import { KubernetesClient } from "../../../clients/kubernetes";
import type { KubeObjectLike } from "./markerSweep";

interface ApiResourceList {
  resources?: { name: string; kind: string; verbs?: string[] }[];
}
interface ApiGroupList {
  groups?: { preferredVersion?: { groupVersion: string } }[];
}
interface ObjectList {
  items?: KubeObjectLike[];
}

export async function allKubeObjects(client: KubernetesClient): Promise<KubeObjectLike[]> {
  const groupVersions = ["v1"];
  const apis = await client.request<ApiGroupList>("GET", "/apis");
  for (const g of apis?.groups ?? []) if (g.preferredVersion) groupVersions.push(g.preferredVersion.groupVersion);
  const objects: KubeObjectLike[] = [];
  for (const gv of groupVersions) {
    const base = gv === "v1" ? "/api/v1" : `/apis/${gv}`;
    const resources = (await client.request<ApiResourceList>("GET", base))?.resources ?? [];
    for (const r of resources) {
      if (r.name.includes("/") || !(r.verbs ?? []).includes("list")) continue;
      const list = await client.request<ObjectList>("GET", `${base}/${r.name}`);
      // A list's items need not carry apiVersion and kind; the list's type does.
      for (const item of list?.items ?? []) objects.push({ ...item, apiVersion: gv, kind: r.kind });
    }
  }
  return objects;
}
