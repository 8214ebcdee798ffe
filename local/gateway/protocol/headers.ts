import { Reader } from "./reader";
import { Writer } from "./writer";
import { ApiKey } from "./apiKeys";
import type { MessageSpecs } from "./specs";

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** 1 or 2 (v0 is only ControlledShutdown v0, gone since Kafka 4.0). */
  headerVersion: number;
  /** Offset of the request body in the frame. */
  bodyOffset: number;
}

/** Parses a request header; the version follows from whether the API version is flexible. */
export function parseRequestHeader(frameBody: Buffer, specs: MessageSpecs): RequestHeader {
  const r = new Reader(frameBody);
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const len = r.int16();
  const clientId = len < 0 ? null : r.bytes(len).toString("utf8");
  const headerVersion = specs.requestIsFlexible(apiKey, apiVersion) ? 2 : 1;
  if (headerVersion === 2) {
    const n = r.uvarint();
    for (let i = 0; i < n; i++) {
      r.uvarint();
      r.bytes(r.uvarint());
    }
  }
  return { apiKey, apiVersion, correlationId, clientId, headerVersion, bodyOffset: r.position };
}

/** Response header v0 is the correlation id; v1 adds tagged fields. ApiVersions always answers with v0. */
export function responseHeaderVersion(specs: MessageSpecs, apiKey: number, apiVersion: number): number {
  if (apiKey === ApiKey.ApiVersions) return 0;
  return specs.responseIsFlexible(apiKey, apiVersion) ? 1 : 0;
}

export function encodeResponseHeader(correlationId: number, headerVersion: number): Buffer {
  const w = new Writer().int32(correlationId);
  if (headerVersion >= 1) w.uvarint(0);
  return w.toBuffer();
}

/** Byte length of a response header at the start of `frameBody`. */
export function responseHeaderLength(frameBody: Buffer, headerVersion: number): number {
  const r = new Reader(frameBody, 4);
  if (headerVersion >= 1) {
    const n = r.uvarint();
    for (let i = 0; i < n; i++) {
      r.uvarint();
      r.bytes(r.uvarint());
    }
  }
  return r.position;
}

export function encodeRequestHeader(
  h: { apiKey: number; apiVersion: number; correlationId: number; clientId: string | null },
  headerVersion: number,
): Buffer {
  const w = new Writer().int16(h.apiKey).int16(h.apiVersion).int32(h.correlationId);
  if (h.clientId === null) w.int16(-1);
  else {
    const b = Buffer.from(h.clientId, "utf8");
    w.int16(b.length).raw(b);
  }
  if (headerVersion >= 2) w.uvarint(0);
  return w.toBuffer();
}
