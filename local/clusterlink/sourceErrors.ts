// Maps a failure to reach the source cluster onto the API's `link_error` values and a message that
// names the address, the principal and the cause.
import type { LinkErrorCode } from "./api/types";

export interface SourceFailure {
  linkError: LinkErrorCode;
  message: string;
}

function chain(err: unknown): { name: string; message: string; code?: string }[] {
  const out: { name: string; message: string; code?: string }[] = [];
  let current: unknown = err;
  for (let i = 0; current && i < 6; i++) {
    const e = current as { name?: string; message?: string; code?: string; originalError?: unknown; cause?: unknown };
    out.push({ name: e.name ?? "Error", message: e.message ?? String(current), ...(e.code ? { code: e.code } : {}) });
    current = e.originalError ?? e.cause;
  }
  return out;
}

export function classifySourceError(err: unknown, bootstrap: string, principal: string): SourceFailure {
  const errors = chain(err);
  const text = errors.map((e) => `${e.name} ${e.code ?? ""} ${e.message}`).join(" | ");
  const root = errors[errors.length - 1]?.message ?? String(err);
  if (/SASLAuthentication|Authentication failed|SASL SCRAM|SASL PLAIN/i.test(text)) {
    return {
      linkError: "AUTHENTICATION_ERROR",
      message: `authentication to the source cluster at ${bootstrap} as ${principal} failed: check the username and password in sasl.jaas.config and sasl.mechanism (${root})`,
    };
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) {
    return {
      linkError: "UNRESOLVABLE_BOOTSTRAP_ERROR",
      message: `cannot resolve the source bootstrap ${bootstrap} (${root})`,
    };
  }
  if (/ECONNREFUSED|ECONNRESET|EHOSTUNREACH/.test(text)) {
    return {
      linkError: "BOOTSTRAP_TCP_CONNECTION_FAILED_ERROR",
      message: `cannot open a TCP connection to the source at ${bootstrap} (${root})`,
    };
  }
  if (/timeout|timed out/i.test(text)) {
    return { linkError: "TIMEOUT_ERROR", message: `the source at ${bootstrap} did not answer in time (${root})` };
  }
  return {
    linkError: "UNKNOWN",
    message: `the source at ${bootstrap} refused the link's requests as ${principal}: ${root}`,
  };
}
