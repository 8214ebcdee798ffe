import * as path from "path";
import { projectRoot } from "./toolchain/paths";

/**
 * The stack config the local environment and the local stack are built from: Pulumi.local.yaml, unless
 * KAFKA_CUTOVER_STACK_CONFIG names another file of the same shape (the bench generates one per run, with
 * its own groups). The environment reserves routes, principals and topics for that file's groups.
 */
export function localStackConfigPath(): string {
  return path.resolve(process.env.KAFKA_CUTOVER_STACK_CONFIG ?? path.join(projectRoot, "Pulumi.local.yaml"));
}
