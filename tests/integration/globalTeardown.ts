import { stopLocalEnvironment } from "../../local/environment";
import type { IntegrationGlobals } from "./globalSetup";

/** Stops the local environment only if globalSetup started it. */
export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as IntegrationGlobals).kafkaCutoverStartedEnvironment;
  if (!started) return;
  await stopLocalEnvironment({ stateDir: started.stateDir });
}
