/**
 * The cutover's read-modify-write of the Gateway CR carries the resourceVersion it read: a write by someone
 * else in between answers 409 Conflict, as the API server does, and the change is computed again from the CR
 * as it is then. Never a silent overwrite; bounded by the policy's attempts and the step's deadline.
 */
import { StepDeadlineExceeded, withinDeadline } from "../../../clients/deadline";
import { KubernetesApiError, KubeObject } from "../../../clients/kubernetes";
import { RetryPolicy, fastRetryPolicy } from "../../../clients/retry";
import { GATEWAY_API_VERSION, RouteSpec, fenceOf } from "../../../components/gatewaySpec";
import type { GatewayApi } from "../../../dynamic/cutover/gatewayPods";
import { LiveRoute } from "../../../dynamic/cutover/liveRoute";
import { memoryProgress } from "../../../dynamic/cutover/progress";

const route = (name: string, port: number): RouteSpec => ({
  name,
  endpoint: `${name}.gw:${port}`,
  brokerIdentificationStrategy: { type: "port" },
  streamingDomain: { name: "msk", bootstrapServerId: "SOURCE" },
  security: { auth: "passthrough" },
});

const STALE =
  'Operation cannot be fulfilled on gateways.platform.confluent.io "gw": the object has been modified; please apply your changes to the latest version and try again';

interface ApplyBody {
  metadata: { resourceVersion?: string };
  spec: { routes: RouteSpec[]; configId: string };
}

/** The CR in an API server that honours `metadata.resourceVersion` in an apply body, with another writer. */
class Cr {
  resourceVersion = 7;
  generation = 3;
  routes: RouteSpec[] = [route("orders", 9092), route("billing", 9094)];
  readonly applies: ApplyBody[] = [];
  /** Runs when an apply arrives, before the API server looks at it: someone else's write in between. */
  otherWriter?: (cr: Cr) => void;
  /** Set to answer every apply with this instead. */
  failWith?: KubernetesApiError;

  write(routes: RouteSpec[]): void {
    this.routes = routes;
    this.resourceVersion++;
    this.generation++;
  }

  private object(): KubeObject {
    return {
      apiVersion: GATEWAY_API_VERSION,
      kind: "Gateway",
      metadata: {
        name: "gw",
        namespace: "ns",
        generation: this.generation,
        resourceVersion: String(this.resourceVersion),
      },
      spec: { routes: structuredClone(this.routes), configId: "kc-before" },
    };
  }

  api(): GatewayApi {
    const api: Pick<GatewayApi, "get" | "apply"> = {
      get: async <T extends KubeObject>(): Promise<T | undefined> => this.object() as T,
      apply: async <T extends KubeObject>(path: string, body: Record<string, unknown>) => {
        const b = body as unknown as ApplyBody;
        this.applies.push(structuredClone(b));
        this.otherWriter?.(this);
        if (this.failWith) throw this.failWith;
        const rv = b.metadata.resourceVersion;
        if (rv !== undefined && rv !== String(this.resourceVersion))
          throw new KubernetesApiError("PATCH", path, 409, "Conflict", STALE);
        this.write(b.spec.routes);
        return this.object() as T;
      },
    };
    return api as GatewayApi;
  }
}

function liveRoute(cr: Cr, policy: RetryPolicy = fastRetryPolicy) {
  const progress = memoryProgress();
  return { route: new LiveRoute(cr.api(), "ns", "gw", "orders", progress, policy), progress };
}

it("routeApplyComputedFromAStaleReadIsRetriedFromLiveKeepingTheOtherWritersChange", async () => {
  const cr = new Cr();
  // Between the fence's read and its apply, someone moves billing to another port, once.
  cr.otherWriter = (c) => {
    c.otherWriter = undefined;
    c.write([c.routes[0], route("billing", 9096)]);
  };
  const { route: orders, progress } = liveRoute(cr);
  const applied = await orders.fence("KAFKA_STORAGE_ERROR");

  expect(cr.applies.map((a) => a.metadata.resourceVersion)).toEqual(["7", "8"]);
  // The second apply was computed from the CR as it was then: their billing edit stays, our fence lands.
  expect(cr.routes).toEqual([
    { ...route("orders", 9092), fence: fenceOf("KAFKA_STORAGE_ERROR") },
    route("billing", 9096),
  ]);
  expect(applied).toEqual({ generation: 5, configId: cr.applies[1].spec.configId, changed: true });
  expect(progress.lines).toEqual([
    "(status) the Gateway ns/gw changed between our read and our apply of route orders: reading it again",
  ]);
});

it("routeApplyGivesUpAfterThePolicysAttemptsWhileSomeoneKeepsWritingAndOverwritesNothing", async () => {
  const cr = new Cr();
  let theirs = 0;
  cr.otherWriter = (c) => c.write([c.routes[0], route("billing", 10_000 + ++theirs)]);
  const { route: orders } = liveRoute(cr);

  await expect(orders.fence("KAFKA_STORAGE_ERROR")).rejects.toThrow(
    `the Gateway ns/gw changed between our read and our apply of route orders ${fastRetryPolicy.maxAttempts} times in a row (someone else keeps writing it): PATCH /apis/platform.confluent.io/v1beta1/namespaces/ns/gateways/gw: HTTP 409 Conflict: ${STALE}`,
  );
  expect(cr.applies).toHaveLength(fastRetryPolicy.maxAttempts);
  expect(cr.routes).toEqual([route("orders", 9092), route("billing", 10_000 + fastRetryPolicy.maxAttempts)]);
});

it("routeApplyRetryStopsAtTheStepsDeadline", async () => {
  const cr = new Cr();
  cr.otherWriter = (c) => c.write([...c.routes]);
  // The next read would come after the fence step's deadline: the step ends there, naming itself.
  const slow: RetryPolicy = { ...fastRetryPolicy, initialBackoffMs: 5_000, maxBackoffMs: 5_000, maxAttempts: 10 };
  const { route: orders } = liveRoute(cr, slow);
  const fenced = withinDeadline("fence", Date.now() + 1_000, () => orders.fence("KAFKA_STORAGE_ERROR"));

  await expect(fenced).rejects.toThrow(StepDeadlineExceeded);
  await expect(fenced).rejects.toThrow(
    /changed between our read and our apply of route orders: stopped at the fence step's deadline/,
  );
  expect(cr.applies).toHaveLength(1);
});

it("routeApplyDoesNotRetryAnythingButA409", async () => {
  const cr = new Cr();
  cr.failWith = new KubernetesApiError(
    "PATCH",
    "/apis/…/gw",
    422,
    "Invalid",
    "spec.routes[0].fence: Unsupported value",
  );
  const { route: orders } = liveRoute(cr);

  await expect(orders.fence("KAFKA_STORAGE_ERROR")).rejects.toBe(cr.failWith);
  expect(cr.applies).toHaveLength(1);
});
