import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseVersions } from "./versions";

/** One field of a Kafka message JSON spec (the subset of keys the codec needs). */
export interface FieldSpec {
  name: string;
  type: string;
  versions: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  flexibleVersions?: string;
  default?: string | number | boolean;
  fields?: FieldSpec[];
}

export interface MessageSpec {
  name: string;
  type: "request" | "response" | "header" | "data" | "metadata" | "coordinator-key" | "coordinator-value";
  apiKey?: number;
  validVersions: string;
  flexibleVersions: string;
  fields: FieldSpec[];
  commonStructs?: { name: string; versions: string; fields: FieldSpec[] }[];
}

/** Request and response specs by API key, as shipped in the kafka-clients jar. */
export class MessageSpecs {
  private readonly requests = new Map<number, MessageSpec>();
  private readonly responses = new Map<number, MessageSpec>();

  constructor(readonly all: readonly MessageSpec[]) {
    for (const spec of all) {
      if (spec.apiKey === undefined) continue;
      if (spec.type === "request") this.requests.set(spec.apiKey, spec);
      if (spec.type === "response") this.responses.set(spec.apiKey, spec);
    }
  }

  request(apiKey: number): MessageSpec | undefined {
    return this.requests.get(apiKey);
  }

  response(apiKey: number): MessageSpec | undefined {
    return this.responses.get(apiKey);
  }

  apiKeys(): number[] {
    return [...this.responses.keys()].sort((a, b) => a - b);
  }

  /** Highest version the spec knows, or -1 for an API it does not know. */
  maxVersion(apiKey: number): number {
    return parseVersions(this.responses.get(apiKey)?.validVersions)?.max ?? -1;
  }

  requestIsFlexible(apiKey: number, version: number): boolean {
    const range = parseVersions(this.requests.get(apiKey)?.flexibleVersions);
    return range !== undefined && version >= range.min && version <= range.max;
  }

  responseIsFlexible(apiKey: number, version: number): boolean {
    const range = parseVersions(this.responses.get(apiKey)?.flexibleVersions);
    return range !== undefined && version >= range.min && version <= range.max;
  }
}

/** Removes `//` comments outside strings: the spec files are JSON with line comments. */
function stripComments(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else {
      out += c;
    }
  }
  return out;
}

/** Splits concatenated top-level JSON objects (what `unzip -p` of many files yields). */
function splitObjects(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{") {
      if (depth++ === 0) start = i;
    } else if (c === "}" && --depth === 0) {
      out.push(text.slice(start, i + 1));
    }
  }
  return out;
}

export function parseSpecText(text: string): MessageSpec[] {
  return splitObjects(stripComments(text)).map((json) => JSON.parse(json) as MessageSpec);
}

export interface SpecSourceOptions {
  /** The kafka-clients jar holding `common/message/*.json`. */
  jar: string;
  /** Where the parsed specs are cached (one JSON file per jar name). */
  cacheDir: string;
}

/** Reads the message specs out of the jar once (with `unzip -p`) and caches them parsed. */
export function loadMessageSpecs(opts: SpecSourceOptions): MessageSpecs {
  const cacheFile = path.join(opts.cacheDir, `messages-${path.basename(opts.jar, ".jar")}.json`);
  if (fs.existsSync(cacheFile)) {
    return new MessageSpecs(JSON.parse(fs.readFileSync(cacheFile, "utf8")) as MessageSpec[]);
  }
  if (!fs.existsSync(opts.jar)) throw new Error(`kafka-clients jar not found: ${opts.jar}`);
  const text = execFileSync("unzip", ["-p", opts.jar, "common/message/*.json"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const specs = parseSpecText(text);
  if (!specs.some((s) => s.name === "MetadataResponse")) throw new Error(`${opts.jar}: no Kafka message specs found`);
  fs.mkdirSync(opts.cacheDir, { recursive: true });
  const tmp = `${cacheFile}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(specs));
  fs.renameSync(tmp, cacheFile);
  return new MessageSpecs(specs);
}
