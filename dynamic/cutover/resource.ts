import * as pulumi from "@pulumi/pulumi";
import { delegatingProvider } from "../delegate";
import { ownUrn } from "../ownUrn";
import type { BlockedWindow, CutoverInputs, TimelineEntry } from "./inputs";

const TYPE = "GroupCutover";
const MODULE = "kafka-cutover";

/** `T` with every value, at any depth, allowed to be a Pulumi input (the engine resolves them all). */
export type DeepInput<T> = unknown extends T
  ? T
  : T extends string | number | boolean
    ? pulumi.Input<T>
    : T extends readonly (infer U)[]
      ? pulumi.Input<readonly DeepInput<U>[]>
      : pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }>;

/** Everything the cutover needs, as Pulumi inputs; `resourceUrn` is filled in by the resource itself. */
type ArgsOf = Omit<CutoverInputs, "resourceUrn">;
export type GroupCutoverArgs = { [K in keyof ArgsOf]: DeepInput<ArgsOf[K]> };

/**
 * One migration group's cutover (see provider.ts). `pulumi preview` runs its preflight; `pulumi up` with
 * the group's `cutover: true` runs readiness → fence → promote → switch.
 */
export class GroupCutover extends pulumi.dynamic.Resource {
  declare readonly state: pulumi.Output<"standing-by" | "cut-over">;
  declare readonly timeline: pulumi.Output<TimelineEntry[]>;
  declare readonly blockedWindowMs: pulumi.Output<number | undefined>;
  declare readonly blockedWindow: pulumi.Output<BlockedWindow | undefined>;
  declare readonly completedAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: GroupCutoverArgs, opts?: pulumi.CustomResourceOptions) {
    // The provider reports progress on this resource; its URN is known before it exists. (Not named
    // `urn`: that input name is the engine's own and is dropped.)
    const urn = ownUrn(name, `pulumi-nodejs:dynamic/${MODULE}:${TYPE}`, opts?.parent);
    super(
      delegatingProvider("dynamic/cutover/provider"),
      name,
      {
        ...args,
        resourceUrn: urn,
        state: undefined,
        timeline: undefined,
        blockedWindowMs: undefined,
        blockedWindow: undefined,
        completedAt: undefined,
      },
      opts,
      MODULE,
      TYPE,
    );
  }
}
