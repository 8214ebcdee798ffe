import * as pulumi from "@pulumi/pulumi";
import { ConfigIssue, qualify, rmCommand, setCommand } from "./errors";

/** Stack config as the Pulumi runtime holds it: fully qualified key → raw string (objects as JSON). */
export interface RawStackConfig {
  readonly values: Readonly<Record<string, string>>;
  /** Fully qualified keys whose values were stored encrypted (`pulumi config set --secret`). */
  readonly secretKeys: ReadonlySet<string>;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * Walks raw config with the key path of every value in hand, so each problem can be reported with
 * the exact key and the `pulumi config set` that fixes it. Problems are collected, never thrown.
 */
export class ConfigReader {
  readonly issues: ConfigIssue[] = [];

  constructor(private readonly raw: RawStackConfig) {}

  report(path: string, problem: string, fix: string): void {
    this.issues.push({ key: qualify(path), problem, fix });
  }

  /** A top-level key holding an object (YAML mapping). */
  object(key: string, example: string, opts: { optional?: boolean } = {}): JsonObject | undefined {
    const text = this.raw.values[qualify(key)];
    if (text === undefined) {
      if (!opts.optional)
        this.report(key, "is not set", `${setCommand(key, example)} (or add it to Pulumi.<stack>.yaml)`);
      return undefined;
    }
    const value = parseJson(text);
    if (!isObject(value)) {
      this.report(
        key,
        `must be an object (a YAML mapping), got ${describe(value)}`,
        `edit ${qualify(key)} in Pulumi.<stack>.yaml, e.g. ${example}`,
      );
      return undefined;
    }
    return value;
  }

  /** A top-level key holding a list (YAML sequence). */
  list(key: string, example: string): Json[] | undefined {
    const text = this.raw.values[qualify(key)];
    if (text === undefined) {
      this.report(key, "is not set", `${setCommand(`${key}[0]`, example)}`);
      return undefined;
    }
    const value = parseJson(text);
    if (!Array.isArray(value)) {
      this.report(
        key,
        `must be a list (a YAML sequence), got ${describe(value)}`,
        `edit ${qualify(key)} in Pulumi.<stack>.yaml into a list`,
      );
      return undefined;
    }
    return value;
  }

  /** Whether a top-level key is set at all (in plain text or as a secret). */
  has(key: string): boolean {
    return this.raw.values[qualify(key)] !== undefined;
  }

  /**
   * A top-level secret; set but stored in plain text is an error, so a secret never sits unencrypted in a
   * stack file. `valuePattern` problems describe the rule, never the value.
   */
  secret(
    key: string,
    what: string,
    opts: { optional?: boolean; valuePattern?: RegExp; valueHelp?: string } = {},
  ): pulumi.Output<string> | undefined {
    const fq = qualify(key);
    const value = this.raw.values[fq];
    if (value === undefined || value === "") {
      if (!opts.optional)
        this.report(key, `is not set: ${what} is required`, setCommand(key, "<value>", { secret: true }));
      return undefined;
    }
    if (!this.raw.secretKeys.has(fq)) {
      this.report(
        key,
        `is stored in plain text, but it is ${what} and must be a Pulumi secret`,
        `${setCommand(key, "<value>", { secret: true })} (this replaces the plain-text value)`,
      );
      return undefined;
    }
    if (opts.valuePattern && !opts.valuePattern.test(value)) {
      this.report(
        key,
        `${opts.valueHelp ?? `does not match ${opts.valuePattern}`}`,
        setCommand(key, "<value>", { secret: true }),
      );
      return undefined;
    }
    return pulumi.secret(value);
  }

  /**
   * A top-level secret holding a JSON object of strings (e.g. principal → credential). Problems name the
   * entry's key, never its value.
   */
  secretObject(
    key: string,
    what: string,
    opts: {
      optional?: boolean;
      valuePattern: RegExp;
      valueHelp: string;
      keyPattern?: RegExp;
      keyHelp?: string;
      exampleKey?: string;
    },
  ): { value: pulumi.Output<Readonly<Record<string, string>>>; keys: string[] } | undefined {
    const fq = qualify(key);
    const text = this.raw.values[fq];
    const example = `'{"${opts.exampleKey ?? "<principal>"}": "${opts.valueHelp}"}'`;
    if (text === undefined || text === "") {
      if (!opts.optional)
        this.report(key, `is not set: ${what} is required`, setCommand(key, example, { secret: true }));
      return undefined;
    }
    if (!this.raw.secretKeys.has(fq)) {
      this.report(
        key,
        `is stored in plain text, but it is ${what} and must be a Pulumi secret`,
        `${setCommand(key, example, { secret: true })} (this replaces the plain-text value)`,
      );
      return undefined;
    }
    const value = parseJson(text);
    if (!isObject(value)) {
      this.report(key, `must be a JSON object of ${what}`, setCommand(key, example, { secret: true }));
      return undefined;
    }
    const badKeys = Object.keys(value).filter((k) => opts.keyPattern && !opts.keyPattern.test(k));
    if (badKeys.length > 0) {
      this.report(
        key,
        `the key${badKeys.length > 1 ? "s" : ""} ${badKeys.map((k) => JSON.stringify(k)).join(", ")} ${opts.keyHelp ?? `must match ${opts.keyPattern}`}`,
        setCommand(key, example, { secret: true }),
      );
      return undefined;
    }
    const bad = Object.entries(value)
      .filter(([, v]) => typeof v !== "string" || !opts.valuePattern.test(v))
      .map(([k]) => k);
    if (bad.length > 0) {
      this.report(
        key,
        `the value${bad.length > 1 ? "s" : ""} for ${bad.map((k) => JSON.stringify(k)).join(", ")} must have the form ${opts.valueHelp}`,
        setCommand(key, example, { secret: true }),
      );
      return undefined;
    }
    return { value: pulumi.secret(value as Record<string, string>), keys: Object.keys(value) };
  }

  /** A field that must never hold a credential in a plain object: the credential belongs in `secretKey`. */
  forbidPlainSecret(obj: JsonObject, field: string, path: string, secretKey: string): void {
    if (obj[field] === undefined) return;
    this.report(
      `${path}.${field}`,
      `holds a credential in plain text; credentials are read only from the secret ${qualify(secretKey)}`,
      `${rmCommand(`${path}.${field}`)} && ${setCommand(secretKey, "<value>", { secret: true })}`,
    );
  }

  string(
    obj: JsonObject,
    field: string,
    path: string,
    example: string,
    opts: { optional?: boolean; pattern?: RegExp; patternHelp?: string } = {},
  ): string | undefined {
    const at = `${path}.${field}`;
    const value = obj[field];
    if (value === undefined || value === null || value === "") {
      if (!opts.optional) this.report(at, "is not set", setCommand(at, example));
      return undefined;
    }
    if (typeof value !== "string") {
      this.report(at, `must be a string, got ${describe(value)}`, setCommand(at, example));
      return undefined;
    }
    if (opts.pattern && !opts.pattern.test(value)) {
      this.report(
        at,
        `is ${JSON.stringify(value)}, which ${opts.patternHelp ?? `does not match ${opts.pattern}`}`,
        setCommand(at, example),
      );
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(
    obj: JsonObject,
    field: string,
    path: string,
    allowed: readonly T[],
    opts: { default?: T } = {},
  ): T | undefined {
    const at = `${path}.${field}`;
    const value = obj[field];
    if ((value === undefined || value === null) && opts.default !== undefined) return opts.default;
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
    const got =
      value === undefined ? "is not set" : `is ${JSON.stringify(value)}, which is not one of ${allowed.join(", ")}`;
    this.report(at, got, setCommand(at, allowed[0]));
    return undefined;
  }

  /**
   * One of a long list of names (e.g. Kafka error names), case as given; a near miss gets a did-you-mean
   * rather than the whole list.
   */
  knownName<T extends string>(
    obj: JsonObject,
    field: string,
    path: string,
    known: readonly T[],
    opts: { default: T; what: string },
  ): T | undefined {
    const at = `${path}.${field}`;
    const value = obj[field];
    if (value === undefined || value === null) return opts.default;
    if (typeof value === "string" && (known as readonly string[]).includes(value)) return value as T;
    const near = typeof value === "string" ? nearest(known, value) : undefined;
    this.report(
      at,
      `is ${JSON.stringify(value)}, which is not ${opts.what}${near ? ` (did you mean ${near}?)` : ""}`,
      setCommand(at, near ?? opts.default),
    );
    return undefined;
  }

  integer(
    obj: JsonObject,
    field: string,
    path: string,
    opts: { default?: number; min: number; max?: number; unit?: string },
  ): number | undefined {
    const at = `${path}.${field}`;
    const value = obj[field];
    if (value === undefined || value === null) {
      if (opts.default !== undefined) return opts.default;
      this.report(at, "is not set", setCommand(at, String(opts.min)));
      return undefined;
    }
    const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
    const max = opts.max ?? Number.MAX_SAFE_INTEGER;
    if (typeof n !== "number" || !Number.isInteger(n) || n < opts.min || n > max) {
      const range = opts.max === undefined ? `at least ${opts.min}` : `between ${opts.min} and ${opts.max}`;
      this.report(
        at,
        `is ${JSON.stringify(value)}, but must be a whole number ${range}${opts.unit ? ` (${opts.unit})` : ""}`,
        setCommand(at, String(opts.default ?? opts.min)),
      );
      return undefined;
    }
    return n;
  }

  boolean(obj: JsonObject, field: string, path: string, def: boolean): boolean | undefined {
    const at = `${path}.${field}`;
    const value = obj[field];
    if (value === undefined || value === null) return def;
    if (value === true || value === "true") return true;
    if (value === false || value === "false") return false;
    this.report(at, `is ${JSON.stringify(value)}, but must be true or false`, setCommand(at, String(def)));
    return undefined;
  }

  stringList(
    obj: JsonObject,
    field: string,
    path: string,
    example: string,
    opts: { optional?: boolean; nonEmpty?: string; pattern?: RegExp; patternHelp?: string } = {},
  ): string[] | undefined {
    const at = `${path}.${field}`;
    const value = obj[field];
    if (value === undefined || value === null) {
      if (opts.optional) return [];
      this.report(at, "is not set", setCommand(`${at}[0]`, example));
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.report(at, `must be a list, got ${describe(value)}`, setCommand(`${at}[0]`, example));
      return undefined;
    }
    if (value.length === 0 && opts.nonEmpty) {
      this.report(at, `is empty: ${opts.nonEmpty}`, setCommand(`${at}[0]`, example));
      return undefined;
    }
    const out: string[] = [];
    value.forEach((item, i) => {
      if (typeof item !== "string" || item === "") {
        this.report(
          `${at}[${i}]`,
          `must be a non-empty string, got ${describe(item)}`,
          setCommand(`${at}[${i}]`, example),
        );
      } else if (opts.pattern && !opts.pattern.test(item)) {
        this.report(
          `${at}[${i}]`,
          `is ${JSON.stringify(item)}, which ${opts.patternHelp ?? `does not match ${opts.pattern}`}`,
          setCommand(`${at}[${i}]`, example),
        );
      } else {
        out.push(item);
      }
    });
    return out.length === value.length ? out : undefined;
  }

  /** Unknown fields are typos until proven otherwise: a misspelt `lagTreshold` must not silently fall back to a default. */
  rejectUnknown(obj: JsonObject, path: string, known: readonly string[]): void {
    for (const field of Object.keys(obj)) {
      if (!known.includes(field)) {
        const near = nearest(known, field);
        this.report(
          `${path}.${field}`,
          `is not a known setting${near ? ` (did you mean ${near}?)` : ""}; known: ${known.join(", ")}`,
          rmCommand(`${path}.${field}`),
        );
      }
    }
  }
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text; // a plain string value
  }
}

function describe(value: Json | undefined): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The known name `value` most likely meant: same but for case, or at most two edits away. */
export function nearest(known: readonly string[], value: string): string | undefined {
  return known.find((k) => k.toLowerCase() === value.toLowerCase() || editDistance(k, value) <= 2);
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}
