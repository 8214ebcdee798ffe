/**
 * The preflight names the consumer groups on the KIP-848 consumer protocol (their consumers die at the
 * switch and need a restart), and only those: on the source, Kafka's Java client 4.1.1 consumes one of the
 * world's topics in a group with group.protocol=consumer and in another with group.protocol=classic. Both are
 * named while their consumers run and once they have left (the groups are then empty, with offsets only).
 */
import { preflight } from "../../../dynamic/cutover/preflight";
import { startJavaWorkload, type GroupProtocol, type JavaWorkload } from "../../../local/load/javaWorkload";
import { CutoverWorld, createWorld } from "./world";

describe("the preflight on KIP-848 consumer groups", () => {
  let world: CutoverWorld;
  const workloads: JavaWorkload[] = [];
  afterAll(async () => {
    await Promise.all(workloads.map((w) => w.stop().catch(() => undefined)));
    await world?.cleanUp();
  });

  it("names the group on group.protocol=consumer and not the classic one, live and empty", async () => {
    world = await createWorld("kip848");
    const groups: Record<GroupProtocol, string> = { consumer: world.consumerGroup, classic: `${world.name}-classic` };
    const source = world.endpoints.source;
    for (const groupProtocol of ["consumer", "classic"] as const) {
      const w = await startJavaWorkload({
        version: "4.1.1",
        groupProtocol,
        bootstrap: source.bootstrap,
        mechanism: "SCRAM-SHA-512",
        username: source.admin.username,
        password: source.admin.password,
        topic: world.topics[0],
        consumerGroup: groups[groupProtocol],
        ratePerSec: 100,
        count: 100,
      });
      workloads.push(w);
      await w.ready;
    }
    const inputs = { ...world.inputs(), consumerGroups: [groups.classic, groups.consumer] };
    const expected = `consumer group ${groups.consumer} uses the consumer group protocol (KIP-848, group.protocol=consumer) on the source; the link's offset sync makes it a classic group on the destination, where such consumers would fail at the switch (GroupIdNotFoundException), so after promotion the cutover makes it a consumer group there (one member joins and leaves; the destination principal needs READ on the group): at the switch their consumers are told their member is unknown (logged, not fatal), rejoin and resume at the committed offsets, and may see the records of their first poll again`;
    const kip848Notes = (notes: string[]) => notes.filter((n) => /KIP-848/.test(n));

    const live = await preflight(inputs);
    expect(kip848Notes(live.notes)).toEqual([expected]);
    expect(live.blockers.map((b) => b.reason).join("\n")).not.toMatch(/KIP-848/); // a note, never a blocker

    for (const w of workloads.splice(0)) {
      await w.produced;
      const report = await w.stop();
      expect(report.consumerErrors).toEqual([]);
    }
    expect(kip848Notes((await preflight(inputs)).notes)).toEqual([expected]);
  }, 180_000);
});
