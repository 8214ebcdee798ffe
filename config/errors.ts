import * as pulumi from "@pulumi/pulumi";

/** The project's stack-config namespace: every key the program reads lives under it. */
export const NAMESPACE = "kafka-cutover";

/** One bad stack-config value: which key, what is wrong with it, and the command that fixes it. */
export interface ConfigIssue {
  /** Fully qualified key with its path, e.g. `kafka-cutover:groups[1].topics`. */
  readonly key: string;
  readonly problem: string;
  readonly fix: string;
}

/**
 * Every problem found in the stack config, reported at once so an operator fixes them in one pass.
 * A RunError, so the Pulumi CLI prints the message without a stack trace.
 */
export class StackConfigError extends pulumi.RunError {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(StackConfigError.render(issues));
    this.name = "StackConfigError";
  }

  static render(issues: readonly ConfigIssue[]): string {
    const lines = issues.map((issue, i) => `  ${i + 1}. ${issue.key}: ${issue.problem}\n     fix: ${issue.fix}`);
    return `the stack config has ${issues.length} problem${issues.length === 1 ? "" : "s"}:\n${lines.join("\n")}`;
  }
}

/** `kafka-cutover:a.b[0]` for the path `a.b[0]`. */
export function qualify(path: string): string {
  return `${NAMESPACE}:${path}`;
}

/** The `pulumi config set` command that sets `path` to `value`; nested paths need `--path`. */
export function setCommand(path: string, value: string, opts: { secret?: boolean } = {}): string {
  const flags = [opts.secret ? "--secret" : "", /[.[]/.test(path) ? "--path" : ""].filter(Boolean);
  const key = /[.[]/.test(path) ? `'${qualify(path)}'` : qualify(path);
  return ["pulumi config set", ...flags, key, value].join(" ");
}

/** The command that removes a key, for values that must not be set where they are. */
export function rmCommand(path: string): string {
  return /[.[]/.test(path) ? `pulumi config rm --path '${qualify(path)}'` : `pulumi config rm ${qualify(path)}`;
}
