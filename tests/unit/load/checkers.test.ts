/** The checkers that the cutover's guarantees are proven with must themselves catch every violation. */
import {
  Acked,
  Stored,
  duplicatesAcrossTheSwitch,
  findDuplicates,
  findLost,
  findReordered,
  findSplit,
  findRewound,
  longestGap,
} from "../../../local/load/checkers";

const acked = (seq: number, topic = "t"): Acked => ({ topic, producer: "p", seq, ackedAt: seq });
const stored = (seq: number, offset: number, partition = 0, topic = "t"): Stored => ({
  topic,
  partition,
  offset,
  producer: "p",
  seq,
});

describe("the guarantee checkers", () => {
  it("findLost passes when every acked record is stored, and names a gap", () => {
    expect(findLost([acked(0), acked(1)], [stored(0, 0), stored(1, 1)])).toEqual([]);
    expect(findLost([acked(0), acked(1), acked(2)], [stored(0, 0), stored(2, 1)])).toEqual([acked(1)]);
  });

  it("findDuplicates finds a record stored twice", () => {
    expect(findDuplicates([stored(0, 0), stored(1, 1)])).toEqual([]);
    expect(findDuplicates([stored(0, 0), stored(1, 1), stored(1, 2)])).toEqual([{ key: "t/p/1", copies: 2 }]);
  });

  it("duplicatesAcrossTheSwitch accepts only a mirrored first copy with one retry past the source's end", () => {
    const source = [stored(0, 0), stored(1, 1)];
    // seq 1 acknowledged by the source (lost ack), retried after the switch: at offset 3, past the source's end.
    expect(duplicatesAcrossTheSwitch(source, [...source, stored(2, 2), stored(1, 3)])).toEqual({
      acrossTheSwitch: ["t/p/1 at [0]@1, [0]@3"],
      unexplained: [],
    });
    // Both copies on the destination only, or both within the mirrored log: not a retry across the switch.
    expect(duplicatesAcrossTheSwitch(source, [...source, stored(2, 2), stored(2, 3)]).unexplained).toEqual([
      "t/p/2 at [0]@2, [0]@3",
    ]);
    expect(duplicatesAcrossTheSwitch([...source, stored(1, 2)], [...source, stored(1, 2)]).unexplained).toEqual([
      "t/p/1 at [0]@1, [0]@2",
    ]);
    // Three copies are never one retry.
    expect(duplicatesAcrossTheSwitch(source, [...source, stored(1, 2), stored(1, 3)]).unexplained).toHaveLength(1);
  });

  it("findReordered finds a sequence that goes backwards in a partition", () => {
    expect(findReordered([stored(0, 0), stored(1, 1), stored(0, 0, 1)])).toEqual([]);
    expect(findReordered([stored(1, 0), stored(0, 1)])).toHaveLength(1);
  });

  it("findSplit passes for a destination that extends the source log, and catches a write on either side", () => {
    const source = [stored(0, 0), stored(1, 1)];
    expect(findSplit(source, [...source, stored(2, 2)])).toEqual([]);
    // A record written to the source after the destination stopped mirroring: it would be lost.
    expect(findSplit([...source, stored(5, 2)], [...source, stored(2, 2)])).toEqual([
      "t[0]@2 differs: source p#5, destination p#2",
    ]);
    expect(findSplit([...source, stored(5, 2)], source)).toEqual([
      "t[0]@2 (p#5) is on the source but not on the destination",
    ]);
    // A record written to the mirror before promotion displaces the source's at that offset.
    expect(findSplit(source, [stored(0, 0), stored(9, 1)])).toHaveLength(1);
  });

  it("longestGap measures the longest pause between events, including the ends", () => {
    expect(longestGap([10, 20, 60], 0, 70)).toBe(40);
    expect(longestGap([], 0, 70)).toBe(70);
  });

  it("findRewound allows re-delivery only of what was uncommitted when the fence froze the group's offsets", () => {
    const at = (offset: number, when: number, partition = 0) => ({
      topic: "t",
      partition,
      offset,
      producer: "p",
      seq: offset,
      at: when,
    });
    const committed = new Map([
      ["t/0", 10],
      ["t/1", 3],
    ]);
    // Offsets 10 and 11 of partition 0 were consumed but not committed at the fence: they may come again.
    expect(findRewound([at(10, 1), at(11, 2), at(10, 5), at(11, 6), at(12, 7)], committed)).toEqual([]);
    // Offset 9 was committed: receiving it again is a rewind. So is partition 1's offset 2.
    expect(findRewound([at(9, 1), at(9, 5), at(2, 1, 1), at(2, 6, 1)], committed)).toEqual([
      "t[0]@9 delivered again though the group had committed 10",
      "t[1]@2 delivered again though the group had committed 3",
    ]);
  });
});
