/**
 * The cutover provider in a process of its own, as Pulumi runs it: `update` from standing-by to the inputs
 * in $CUTOVER_INPUTS (a JSON file). Prints one JSON line with the outcome. The tests kill it mid-step
 * (SIGKILL) or interrupt it (SIGINT) and run it again, as an operator re-runs `pulumi up`.
 */
import * as fs from "node:fs";
import type { CutoverInputs, CutoverOutputs } from "../../../dynamic/cutover";
import { provider } from "../../../dynamic/cutover/provider";

async function main(): Promise<void> {
  const file = process.env.CUTOVER_INPUTS;
  if (!file) throw new Error("CUTOVER_INPUTS is not set");
  const inputs = JSON.parse(fs.readFileSync(file, "utf8")) as CutoverInputs;
  // What the state holds for a group deployed on the source and not yet asked to move.
  const olds = { ...inputs, requested: false, state: "standing-by", timeline: [], fingerprint: "" } as CutoverOutputs;
  if (!provider.update) throw new Error("the cutover provider has no update");
  const { outs } = await provider.update(inputs.group, olds, inputs);
  console.log(JSON.stringify({ ok: true, outs }));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.log(JSON.stringify({ ok: false, error: e instanceof Error ? e.message : String(e) }));
    process.exit(1);
  },
);
