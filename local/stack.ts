/**
 * Runs the real Pulumi CLI on the `local` stack: file backend and plugin cache inside the state folder,
 * passphrase secrets, no network. The endpoints and credentials of the running local environment are
 * added to a copy of Pulumi.local.yaml, which pulumi reads through `--config-file`.
 *
 *   ts-node local/stack.ts preview|up|destroy|config [extra pulumi args]
 */
import { type ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { localStackConfigPath } from "./stackConfigPath";
import { REGISTRATION_ROUTE } from "./routes";
import { kubernetesProviderBinary, kubernetesProviderVersion, projectRoot, pulumiBinDir } from "./toolchain/paths";

export const LOCAL_STACK = "local";
export const LOCAL_PASSPHRASE = "kafka-cutover-local";

/** The local environment's endpoints.json, as `local/environment.ts` writes it. */
export interface LocalEndpoints {
  readonly source: {
    readonly bootstrap: string;
    readonly clusterId?: string;
    readonly users?: Readonly<Record<string, string>>;
    readonly admin: { readonly username: string; readonly password: string };
  };
  readonly destination: {
    readonly bootstrap: string;
    readonly clusterId?: string;
    readonly restEndpoint?: string;
    readonly apiKey: string;
    readonly apiSecret: string;
  };
  readonly kubernetes?: { readonly kubeconfig: string };
  readonly gateway?: { readonly routes: Readonly<Record<string, string>> };
  readonly apps?: Readonly<
    Record<
      string,
      { readonly username: string; readonly password: string; readonly apiKey: string; readonly apiSecret: string }
    >
  >;
}

export interface LocalStackOptions {
  /** Folder for the backend, plugin cache and generated config; default `<state>/pulumi`. */
  readonly workDir: string;
  readonly endpoints: LocalEndpoints;
}

/** The environment every pulumi invocation on the local stack runs with. */
export function pulumiEnv(workDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${pulumiBinDir}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: path.join(workDir, "home"),
    PULUMI_BACKEND_URL: `file://${path.join(workDir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    // `npm test` type-checks the program with tsc; the CLI need not do it again on every run.
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
  };
}

function configFile(workDir: string): string {
  return path.join(workDir, `Pulumi.${LOCAL_STACK}.yaml`);
}

/** Sets `kafka-cutover:groups[index].cutover` in the local stack's config, as an operator flips a group. */
export function setGroupCutover(workDir: string, groupIndex: number, value: boolean): void {
  pulumiSync(workDir, [
    "config",
    "set",
    "--path",
    "--config-file",
    configFile(workDir),
    "--stack",
    LOCAL_STACK,
    `kafka-cutover:groups[${groupIndex}].cutover`,
    String(value),
  ]);
}

/** Runs pulumi synchronously for short bookkeeping commands; throws with its output on failure. */
function pulumiSync(workDir: string, args: string[], input?: string): string {
  const r = spawnSync("pulumi", args, { cwd: projectRoot, env: pulumiEnv(workDir), input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** `npm run build` in a checkout: pulumi runs the compiled program and providers in dist/; a no-op when current. */
export function buildProgram(root: string = projectRoot): void {
  const r = spawnSync(process.execPath, [path.join(root, "tools", "build.js")], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run build failed in ${root} (exit ${r.status}):\n${r.stdout}${r.stderr}`);
}

/** Builds the program, creates the backend and stack once, registers the kubernetes plugin we built, and writes the stack config. */
export function prepareLocalStack(opts: LocalStackOptions): string {
  const { workDir, endpoints } = opts;
  buildProgram();
  if (!fs.existsSync(path.join(pulumiBinDir, "pulumi"))) {
    throw new Error(`the Pulumi CLI is not built yet (${pulumiBinDir}); run: npm run toolchain`);
  }
  fs.mkdirSync(path.join(workDir, "backend"), { recursive: true });
  const stacks = pulumiSync(workDir, ["stack", "ls", "--json"]);
  if (!(JSON.parse(stacks) as { name: string }[]).some((s) => s.name === LOCAL_STACK)) {
    pulumiSync(workDir, ["stack", "init", LOCAL_STACK, "--secrets-provider", "passphrase", "--non-interactive"]);
  }
  const plugins = pulumiSync(workDir, ["plugin", "ls", "--json"]);
  const haveK8s = ((JSON.parse(plugins) as { name: string; version: string }[] | null) ?? []).some(
    (p) => p.name === "kubernetes" && p.version === kubernetesProviderVersion,
  );
  if (!haveK8s && fs.existsSync(kubernetesProviderBinary)) {
    pulumiSync(workDir, [
      "plugin",
      "install",
      "resource",
      "kubernetes",
      kubernetesProviderVersion,
      "--file",
      kubernetesProviderBinary,
    ]);
  }
  writeLocalStackConfig(workDir, endpoints);
  return configFile(workDir);
}

/** Copies Pulumi.local.yaml (see stackConfigPath.ts) and fills in what the running local environment decided: ports, ids, keys. */
export function writeLocalStackConfig(workDir: string, endpoints: LocalEndpoints): void {
  const doc = YAML.parseDocument(fs.readFileSync(localStackConfigPath(), "utf8"));
  const set =
    (key: string, ...p: (string | number)[]) =>
    (value: unknown) =>
      doc.setIn(["config", key, ...p], value);
  set("kafka-cutover:source", "bootstrap")(endpoints.source.bootstrap);
  if (endpoints.source.clusterId) set("kafka-cutover:source", "clusterId")(endpoints.source.clusterId);
  set("kafka-cutover:destination", "bootstrap")(endpoints.destination.bootstrap);
  set("kafka-cutover:destination", "clusterId")(endpoints.destination.clusterId ?? "lkc-local");
  set("kafka-cutover:destination", "restEndpoint")(endpoints.destination.restEndpoint ?? "http://127.0.0.1:1");
  set("kafka-cutover:destination", "apiKey")(endpoints.destination.apiKey);
  const groups = doc.getIn(["config", "kafka-cutover:groups"]) as YAML.YAMLSeq<YAML.YAMLMap>;
  groups.items.forEach((g, i) => {
    const name = String(g.get("name"));
    const endpoint = endpoints.gateway?.routes[name];
    if (!endpoint)
      throw new Error(`the local environment has no Gateway route for group ${name}; restart it with npm run local:up`);
    set("kafka-cutover:groups", i, "endpoint")(endpoint);
    // The group's app carries its source ACLs to its API key on the destination (#17); the environment
    // granted that key the same rights, so up finds them there and creates nothing.
    const app = endpoints.apps?.[name];
    if (app) set("kafka-cutover:groups", i, "aclPrincipals")({ [`User:${app.username}`]: `User:${app.apiKey}` });
  });
  const registration = endpoints.gateway?.routes[REGISTRATION_ROUTE];
  if (registration) set("kafka-cutover:gateway", "scramRegistrationEndpoint")(registration);
  fs.mkdirSync(workDir, { recursive: true });
  fs.writeFileSync(configFile(workDir), doc.toString());
  // The Gateway signs each group's app principal in to the destination with that app's API key.
  const swapCredentials = Object.fromEntries(
    Object.values(endpoints.apps ?? {}).map((a) => [a.username, `${a.apiKey}/${a.apiSecret}`]),
  );
  // A group's canary signs in to its route as the group's app (Pulumi.local.yaml names it), with its password.
  const canaryPasswords = Object.fromEntries(
    groups.items
      .filter((g) => g.get("canary"))
      .map((g) => {
        const name = String(g.get("name"));
        return [name, requireValue(endpoints.apps?.[name]?.password, `apps.${name}.password`)];
      }),
  );
  const secrets: Record<string, string> = {
    ...(Object.keys(canaryPasswords).length > 0 ? { canaryPasswords: JSON.stringify(canaryPasswords) } : {}),
    sourcePassword: requireValue(endpoints.source.users?.["cutover-link"], "source.users.cutover-link"),
    destinationApiSecret: endpoints.destination.apiSecret,
    kubeconfig: fs.readFileSync(requireValue(endpoints.kubernetes?.kubeconfig, "kubernetes.kubeconfig"), "utf8"),
    swapCredentials: JSON.stringify(swapCredentials),
  };
  for (const [key, value] of Object.entries(secrets)) setStackSecret(workDir, key, value);
}

/** Sets `kafka-cutover:<key>` as a secret in the local stack's config, as an operator rotates one. */
export function setStackSecret(workDir: string, key: string, value: string): void {
  // Through stdin, so the value never shows in a process listing.
  pulumiSync(
    workDir,
    ["config", "set", "--secret", "--config-file", configFile(workDir), "--stack", LOCAL_STACK, `kafka-cutover:${key}`],
    value,
  );
}

function requireValue(value: string | undefined, what: string): string {
  if (!value)
    throw new Error(
      `the local environment's endpoints.json has no ${what}; restart it with npm run local:down && npm run local:up`,
    );
  return value;
}

/** Runs `pulumi <command>` on the local stack, streaming its output; resolves with the exit code. */
export function runPulumi(workDir: string, args: string[], onOutput?: (chunk: string) => void): Promise<number> {
  // Only the commands that evaluate the program take --config-file.
  const configArgs = ["preview", "up", "refresh", "destroy"].includes(args[0])
    ? ["--config-file", configFile(workDir)]
    : [];
  const full = [...args, "--stack", LOCAL_STACK, ...configArgs, "--non-interactive"];
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", full, {
      cwd: projectRoot,
      env: pulumiEnv(workDir),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const forward = (b: Buffer) => (onOutput ? onOutput(b.toString()) : process.stdout.write(b));
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    running.add(child);
    child.on("error", reject);
    child.on("close", (code) => {
      running.delete(child);
      resolve(code ?? 1);
    });
  });
}

const running = new Set<ChildProcess>();

/**
 * Interrupts every pulumi command still running (a test that timed out leaves its command holding the stack's
 * lock, and each later command would fail on the lock instead of saying what went wrong); resolves once they
 * have exited. Pulumi cancels on SIGINT and releases the lock.
 */
export async function interruptRunningPulumi(graceMs = 30_000): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
          child.once("close", () => {
            clearTimeout(killer);
            resolve();
          });
          child.kill("SIGINT");
        }),
    ),
  );
}
