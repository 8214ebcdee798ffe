/** The machine a bench ran on, as the README reports it. */
import * as fs from "fs";
import * as os from "os";

export interface Machine {
  readonly cores: number;
  readonly memoryGiB: number;
  readonly cpuModel: string;
  readonly kernel: string;
  readonly node: string;
  /** 1-minute load average when the bench started: other work sharing the machine shows here. */
  readonly loadAverageAtStart: number;
}

/** The first `model name` of /proc/cpuinfo. */
export function cpuModelOf(cpuinfo: string): string {
  const m = /^model name\s*:\s*(.+)$/m.exec(cpuinfo);
  return m ? m[1].trim() : "unknown";
}

export function describeMachine(): Machine {
  const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
  return {
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    cpuModel: cpuModelOf(cpuinfo),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverageAtStart: Math.round(os.loadavg()[0] * 100) / 100,
  };
}
