import type { Protocol } from "../protocol/protocol";
import type { RouteConfig } from "./config";
import { Route, sameListeners } from "./route";

export interface DataPlaneOptions {
  protocol: Protocol;
  /** How long a fenced request waits for the fence to lift before it is answered with the fence's error code. */
  fenceHoldMs?: number;
  log?: (message: string) => void;
}

/** The set of running routes; `apply` hot-reloads a whole new route list. */
export class DataPlane {
  private readonly routes = new Map<string, Route>();
  private readonly fenceHoldMs: number;
  private readonly log: (message: string) => void;

  constructor(private readonly opts: DataPlaneOptions) {
    this.fenceHoldMs = opts.fenceHoldMs ?? 10_000;
    this.log = opts.log ?? (() => undefined);
  }

  route(name: string): Route | undefined {
    return this.routes.get(name);
  }

  routeNames(): string[] {
    return [...this.routes.keys()];
  }

  /**
   * Makes the running routes equal `configs`: removed routes stop, new ones start, routes whose listeners
   * changed restart, and the rest update in place (switch, fence, unfence, auth).
   */
  async apply(configs: readonly RouteConfig[]): Promise<void> {
    const wanted = new Map(configs.map((c) => [c.name, c]));
    for (const [name, route] of [...this.routes]) {
      const next = wanted.get(name);
      if (!next || !sameListeners(route.config, next)) {
        this.routes.delete(name);
        await route.stop();
      }
    }
    for (const config of configs) {
      const running = this.routes.get(config.name);
      if (running) running.update(config);
      else {
        this.routes.set(
          config.name,
          await Route.start(config, { protocol: this.opts.protocol, fenceHoldMs: this.fenceHoldMs, log: this.log }),
        );
      }
    }
  }

  async stop(): Promise<void> {
    const routes = [...this.routes.values()];
    this.routes.clear();
    await Promise.all(routes.map((r) => r.stop()));
  }
}
