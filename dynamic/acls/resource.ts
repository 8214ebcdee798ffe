import * as pulumi from "@pulumi/pulumi";
import { delegatingProvider } from "../delegate";
import { ownUrn } from "../ownUrn";
import type { DeepInput } from "../cutover/resource";
import type { AclBinding } from "./bindings";
import type { DestinationAclsInputs } from "./provider";

const TYPE = "DestinationAcls";
const MODULE = "kafka-cutover";

type ArgsOf = Omit<DestinationAclsInputs, "resourceUrn" | "bindings">;
export type DestinationAclsArgs = { [K in keyof ArgsOf]: DeepInput<ArgsOf[K]> };

/**
 * A migration group's ACLs on the destination, carried over from the source (see provider.ts). The preview
 * shows `bindings`, read from the source at check. The cluster accesses are secret in the state.
 */
export class DestinationAcls extends pulumi.dynamic.Resource {
  /** What the destination allows and denies the group's principals: the source's ACLs, carried over. */
  declare readonly bindings: pulumi.Output<AclBinding[]>;
  /** The bindings this resource created, which delete removes. */
  declare readonly owned: pulumi.Output<AclBinding[]>;

  constructor(name: string, args: DestinationAclsArgs, opts: pulumi.CustomResourceOptions = {}) {
    // The provider reports on this resource (its URN is known before it exists; `urn` is the engine's name).
    const urn = ownUrn(name, `pulumi-nodejs:dynamic/${MODULE}:${TYPE}`, opts.parent);
    super(
      delegatingProvider("dynamic/acls/provider"),
      name,
      { ...args, resourceUrn: urn, bindings: undefined, owned: undefined },
      { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), "source", "destination"] },
      MODULE,
      TYPE,
    );
  }
}
