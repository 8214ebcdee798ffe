/**
 * The record of a group's last cutover run, kept where the operator can read it after `pulumi up` has ended,
 * failed or not: the ConfigMap `kafka-cutover-<group>` in the Gateway's namespace. A failed `up` leaves Pulumi
 * no outputs to keep, so without it the timeline of a failed run is lost, and so is the moment its fence went
 * up, which the blocked window of the re-run that finishes the cutover must start from.
 *
 *   kubectl -n <namespace> get configmap kafka-cutover-<group> -o jsonpath='{.data.run\.json}'
 *
 * Writing it never fails a cutover: the clients matter more than the record.
 */
import type { KubeObject, KubernetesClient } from "../../clients/kubernetes";
import type { BlockedWindow, TimelineEntry } from "./inputs";
import type { Progress } from "./progress";

/** How the run ended, and where that left the group's clients. */
export type RunOutcome =
  /** Cut over: the route leads to the destination. */
  | "cut-over"
  /** Failed before promotion: the route was put back on the source, unfenced. */
  | "rolled-back"
  /** Failed with the route still fenced (past promotion, or a rollback that failed): clients are held. */
  | "stopped-fenced";

export interface RunRecord {
  readonly group: string;
  readonly outcome: RunOutcome;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly error?: string;
  readonly timeline: readonly TimelineEntry[];
  /** When the cutover still under way first fenced the route; kept across runs until the group is cut over. */
  readonly fenceAppliedAt?: string;
  readonly blockedWindow?: BlockedWindow;
}

const FIELD_MANAGER = "kafka-cutover";

export class RunRecords {
  readonly name: string;

  constructor(
    private readonly k8s: KubernetesClient,
    readonly namespace: string,
    private readonly group: string,
    private readonly progress?: Progress,
  ) {
    this.name = `kafka-cutover-${group}`;
  }

  /** Where an operator finds it. */
  where(): string {
    return `configmap ${this.namespace}/${this.name}`;
  }

  /** The last run's record; undefined if there is none or it cannot be read. */
  async read(): Promise<RunRecord | undefined> {
    try {
      const cm = await this.k8s.get<KubeObject>(`/api/v1/namespaces/${this.namespace}/configmaps/${this.name}`);
      const json = cm?.data?.["run.json"];
      return json ? (JSON.parse(json) as RunRecord) : undefined;
    } catch (e) {
      this.progress?.warn(`could not read the last cutover run's record (${this.where()}): ${(e as Error).message}`);
      return undefined;
    }
  }

  async write(record: RunRecord): Promise<void> {
    try {
      await this.k8s.apply(
        `/api/v1/namespaces/${this.namespace}/configmaps/${this.name}`,
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: {
            name: this.name,
            namespace: this.namespace,
            labels: { "app.kubernetes.io/managed-by": "kafka-cutover", "kafka-cutover/group": this.group },
          },
          data: { outcome: record.outcome, "run.json": JSON.stringify(record, null, 2) },
        },
        FIELD_MANAGER,
      );
      this.progress?.info(`this run's record and timeline: ${this.where()}`);
    } catch (e) {
      this.progress?.warn(`could not keep this run's record in ${this.where()}: ${(e as Error).message}`);
    }
  }
}

/**
 * When the route went up fenced for the cutover under way: an earlier run's fence if the route has stayed
 * fenced since (the record says so), else this run's (its fence step's end), else none.
 */
export function fenceAppliedAt(earlier: RunRecord | undefined, timeline: readonly TimelineEntry[]): string | undefined {
  if (earlier?.outcome === "stopped-fenced" && earlier.fenceAppliedAt) return earlier.fenceAppliedAt;
  return timeline.find((e) => e.step === "fence" && e.outcome === "done")?.endedAt;
}
