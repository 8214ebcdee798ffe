// Link definitions survive a restart of the daemon: they are written to <stateDir>/clusterlink/links.json
// (mode 0600: the link configs include the source password, as Confluent Cloud also stores them).
import * as fs from "node:fs";
import * as path from "node:path";
import type { MirrorTopicError } from "./api/types";

/** `creating`: recorded (listed as PENDING_MIRROR) before its topic exists, so a creation is all or nothing. */
export type MirrorPhase = "creating" | "mirroring" | "pending_stop" | "stopped" | "failed";

export interface MirrorRecord {
  mirrorTopicName: string;
  sourceTopicName: string;
  numPartitions: number;
  phase: MirrorPhase;
  paused: boolean;
  stateTimeMs: number;
  /** When `:promote` was accepted; the final offset sync must complete after it. */
  promoteRequestedMs?: number;
  error?: { reason: MirrorTopicError; message: string };
}

export interface LinkRecord {
  linkName: string;
  clusterLinkId: string;
  sourceClusterId: string | null;
  configs: Record<string, string>;
  mirrors: MirrorRecord[];
}

export class LinkStore {
  constructor(private readonly file: string | undefined) {}

  load(): LinkRecord[] {
    if (!this.file) return [];
    try {
      return (JSON.parse(fs.readFileSync(this.file, "utf8")) as { links: LinkRecord[] }).links;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
  }

  save(links: LinkRecord[]): void {
    if (!this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, `${JSON.stringify({ links }, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
