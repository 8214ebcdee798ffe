/** The SASL/PLAIN login the gateway makes upstream for one principal. */
export interface PlainLogin {
  username: string;
  password: string;
}

export const PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
const FLAGS = new Set(["required", "requisite", "sufficient", "optional"]);

interface JaasEntry {
  loginModule: string;
  flag: string;
  options: [string, string][];
}

type Token = { kind: "word" | "quoted"; text: string } | { kind: "=" | ";" };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) i++;
    else if (c === "=" || c === ";") {
      tokens.push({ kind: c });
      i++;
    } else if (c === '"') {
      let value = "";
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (i >= text.length) throw new Error("unterminated quoted value");
      i++;
      tokens.push({ kind: "quoted", text: value });
    } else {
      const m = /^[^\s=;"]+/.exec(text.slice(i));
      const word = m ? m[0] : c;
      tokens.push({ kind: "word", text: word });
      i += word.length;
    }
  }
  return tokens;
}

/** Parses a Kafka `sasl.jaas.config` value: `<LoginModule> <flag> key=value ... ;` (one or more entries). */
function parseJaas(text: string): JaasEntry[] {
  const tokens = tokenize(text);
  const entries: JaasEntry[] = [];
  let i = 0;
  const word = (what: string): string => {
    const t = tokens[i++];
    if (!t || t.kind !== "word") throw new Error(`expected ${what}`);
    return t.text;
  };
  while (i < tokens.length) {
    const loginModule = word("a login module class");
    const flag = word(`a control flag after ${loginModule}`);
    if (!FLAGS.has(flag.toLowerCase()))
      throw new Error(`${flag} is not a control flag (required, requisite, sufficient, optional)`);
    const options: [string, string][] = [];
    for (;;) {
      const t = tokens[i];
      if (!t) throw new Error("missing ';' at the end of the login module entry");
      if (t.kind === ";") {
        i++;
        break;
      }
      const key = word("an option name");
      if (tokens[i++]?.kind !== "=") throw new Error(`expected '=' after option ${key}`);
      const v = tokens[i++];
      if (!v || (v.kind !== "word" && v.kind !== "quoted")) throw new Error(`option ${key} has no value`);
      options.push([key, v.text]);
    }
    entries.push({ loginModule, flag, options });
  }
  if (entries.length === 0) throw new Error("no login module entry");
  return entries;
}

/**
 * The one login module entry of a template whose two `%s` the gateway fills with a secret store entry's two
 * halves (`halves` names them); throws an Error saying why the template is unusable.
 */
function templateEntry(text: string, loginModule: string, needed: readonly string[], halves: string): JaasEntry {
  const placeholders = text.split("%s").length - 1;
  if (placeholders !== 2) throw new Error(`has ${placeholders} %s placeholders, needs 2 (${halves})`);
  let entries: JaasEntry[];
  try {
    entries = parseJaas(text);
  } catch (err) {
    throw new Error(`is not a JAAS config: ${(err as Error).message}`);
  }
  if (entries.length !== 1) throw new Error(`has ${entries.length} login module entries, needs 1`);
  const [entry] = entries;
  if (entry.loginModule !== loginModule) throw new Error(`login module is ${entry.loginModule}, needs ${loginModule}`);
  const keys = entry.options.map(([k]) => k);
  for (const option of needed) if (!keys.includes(option)) throw new Error(`has no ${option} option`);
  const inOptions = entry.options.reduce((n, [, v]) => n + v.split("%s").length - 1, 0);
  if (inOptions !== 2) throw new Error("its %s placeholders must be option values");
  return entry;
}

/**
 * The `plain-jaas.conf` template of `cluster.authentication.jaasConfigPassThrough.secretRef`, e.g.
 * `org.apache.kafka.common.security.plain.PlainLoginModule required username="%s" password="%s";`.
 * The gateway fills the two `%s`, in order, with the principal's API key and API secret; the filled
 * entry's `username`/`password` options are what it signs in to the cluster with.
 */
export class PlainJaasTemplate {
  private constructor(private readonly entry: JaasEntry) {}

  /** Throws an Error saying why the template is unusable. */
  static parse(text: string): PlainJaasTemplate {
    return new PlainJaasTemplate(
      templateEntry(text, PLAIN_LOGIN_MODULE, ["username", "password"], "API key, API secret"),
    );
  }

  fill(apiKey: string, apiSecret: string): PlainLogin {
    const values = [apiKey, apiSecret];
    const options = new Map(this.entry.options.map(([k, v]) => [k, v.replace(/%s/g, () => values.shift() ?? "")]));
    return { username: options.get("username") ?? "", password: options.get("password") ?? "" };
  }
}

export const OAUTH_LOGIN_MODULE = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";

/** The OAUTHBEARER login the gateway makes upstream for one principal: its OAuth client and SASL extensions. */
export interface OAuthClientLogin {
  clientId: string;
  clientSecret: string;
  /** The `scope` option, sent to the token endpoint when set. */
  scope?: string;
  /** `extension_<name>="<value>"` options: sent in the SASL client first message as `<name>=<value>`. */
  extensions: Record<string, string>;
}

/**
 * The `oauth-jaas.conf` template of an oauth cluster side, e.g.
 * `org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId="%s" clientSecret="%s" extension_logicalCluster="lkc-1";`.
 * The gateway fills the two `%s`, in order, with the secret store entry's two halves (client id, client secret).
 */
export class OAuthJaasTemplate {
  private constructor(private readonly entry: JaasEntry) {}

  /** Throws an Error saying why the template is unusable. */
  static parse(text: string): OAuthJaasTemplate {
    const entry = templateEntry(text, OAUTH_LOGIN_MODULE, ["clientId", "clientSecret"], "client id, client secret");
    // RFC 7628 §3.1: extension keys are alphabetic; "auth" is the token's own key.
    for (const [k] of entry.options)
      if (k.startsWith("extension_") && (!/^extension_[A-Za-z]+$/.test(k) || k === "extension_auth"))
        throw new Error(`option ${k}: SASL extension names are letters only and not "auth"`);
    return new OAuthJaasTemplate(entry);
  }

  fill(clientId: string, clientSecret: string): OAuthClientLogin {
    const values = [clientId, clientSecret];
    const options = new Map(this.entry.options.map(([k, v]) => [k, v.replace(/%s/g, () => values.shift() ?? "")]));
    const extensions: Record<string, string> = {};
    for (const [k, v] of options) if (k.startsWith("extension_")) extensions[k.slice("extension_".length)] = v;
    const scope = options.get("scope");
    return {
      clientId: options.get("clientId") ?? "",
      clientSecret: options.get("clientSecret") ?? "",
      ...(scope !== undefined ? { scope } : {}),
      extensions,
    };
  }
}
