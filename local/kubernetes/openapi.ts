// /openapi/v2. The kubernetes provider will not talk to a cluster without it: at configure time and in
// check/create it fetches the OpenAPI v2 document (protobuf, gnostic `openapi_v2.Document`) and treats a
// failure as "cluster unreachable". We serve a minimal valid document with no definitions, so the
// provider skips its client-side schema validation (as for a CRD that publishes no schema) and the
// apiserver semantics (server-side apply) do the rest. /openapi/v3 stays 404.

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

function lengthDelimited(field: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...varint(payload.length)]), payload]);
}

function str(field: number, s: string): Buffer {
  return lengthDelimited(field, Buffer.from(s, "utf8"));
}

export const OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

/** Document { swagger = 1; info = 2 { title = 1; version = 2 } } */
export function openApiV2Protobuf(version: string): Buffer {
  return Buffer.concat([str(1, "2.0"), lengthDelimited(2, Buffer.concat([str(1, "Kubernetes"), str(2, version)]))]);
}

export function openApiV2Json(version: string): Record<string, unknown> {
  return { swagger: "2.0", info: { title: "Kubernetes", version }, paths: {}, definitions: {} };
}
