/**
 * The program under Pulumi mocks: config is validated before anything is declared, and the stack
 * outputs tell client teams where each group's route is and where the group stands.
 */
import * as pulumi from "@pulumi/pulumi";
import { rawConfig, validPlain, validSecrets } from "./config/rawConfig";

interface Declared { type: string; name: string }

function outputOf<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply(resolve));
}

async function loadProgram(plain: Record<string, unknown>, secrets: Record<string, string>, declared: Declared[] = []): Promise<{ program: typeof import("../../index"); declared: Declared[] }> {
    pulumi.runtime.setMocks({
        newResource: (args) => { declared.push({ type: args.type, name: args.name }); return { id: `${args.name}-id`, state: args.inputs }; },
        call: (args) => args.inputs,
    }, "kafka-cutover", "test", false);
    const raw = rawConfig(plain, secrets);
    pulumi.runtime.setAllConfig({ ...raw.values }, [...raw.secretKeys]);
    let program: typeof import("../../index") | undefined;
    await jest.isolateModulesAsync(async () => { program = await import("../../index"); });
    return { program: program!, declared };
}

describe("the program", () => {
    it("declares one MigrationGroup per group and exports each route endpoint and state", async () => {
        const { program, declared } = await loadProgram(validPlain(), validSecrets());
        const groups = await outputOf(program.migrationGroups);
        expect(groups.payments).toEqual({
            endpoint: "payments.gw.example:9092", topics: ["payments.transactions", "payments.events"],
            consumerGroups: ["payments-ledger"], streamingDomain: "msk", state: "on-source",
        });
        // cutover: true routes the group to the destination domain in the declared end state.
        expect(groups.orders).toMatchObject({ streamingDomain: "confluent-cloud", state: "cutover-requested" });
        expect(declared.filter((d) => d.type === "kafka-cutover:index:MigrationGroup").map((d) => d.name)).toEqual(["payments", "orders"]);
        expect(await outputOf(program.destinationClusterId)).toBe("lkc-abc123");
    });

    it("declares nothing when the config is invalid", async () => {
        const plain = validPlain();
        (plain.groups as Record<string, unknown>[])[0].topics = [];
        const declared: Declared[] = [];
        await expect(loadProgram(plain, validSecrets(), declared)).rejects.toThrow("kafka-cutover:groups[0].topics: is empty");
        expect(declared).toEqual([]);
    });
});
