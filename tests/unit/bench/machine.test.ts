import { cpuModelOf } from "../../../bench/machine";

describe("the machine description", () => {
  it("reads the CPU model from /proc/cpuinfo's first processor", () => {
    const cpuinfo =
      "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n\nprocessor\t: 1\nmodel name\t: other\n";
    expect(cpuModelOf(cpuinfo)).toBe("AMD EPYC 7B13");
    expect(cpuModelOf("")).toBe("unknown");
  });
});
