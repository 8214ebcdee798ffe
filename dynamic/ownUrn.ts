import * as pulumi from "@pulumi/pulumi";

/**
 * The URN a dynamic resource will have, as an input that depends on no resource: its provider reports progress
 * on it (the engine does not tell a dynamic provider its URN). `pulumi.createUrn(…, parent)` carries the
 * parent's `urn` Output and with it the parent as a dependency, and the SDK turns a dependency on a component
 * into one on each of its children but the resource being registered: two siblings that both passed their URN
 * that way would wait for each other's registration forever. A URN is always known, preview included.
 */
export function ownUrn(name: string, type: string, parent: pulumi.Resource | undefined): Promise<string> {
  const urn = pulumi.createUrn(name, type, parent);
  return new Promise((resolve) => void urn.apply(resolve));
}
