import { MessageCodec, type Struct } from "./codec";
import { frame } from "./frames";
import { encodeResponseHeader, responseHeaderLength, responseHeaderVersion, type RequestHeader } from "./headers";
import type { MessageSpecs } from "./specs";

/** Codecs for every request and response the specs describe, plus whole-frame helpers. */
export class Protocol {
  private readonly requestCodecs = new Map<number, MessageCodec>();
  private readonly responseCodecs = new Map<number, MessageCodec>();

  constructor(readonly specs: MessageSpecs) {}

  request(apiKey: number): MessageCodec {
    return this.codec(this.requestCodecs, apiKey, "request");
  }

  response(apiKey: number): MessageCodec {
    return this.codec(this.responseCodecs, apiKey, "response");
  }

  knows(apiKey: number): boolean {
    return this.specs.response(apiKey) !== undefined && this.specs.request(apiKey) !== undefined;
  }

  private codec(cache: Map<number, MessageCodec>, apiKey: number, kind: "request" | "response"): MessageCodec {
    let codec = cache.get(apiKey);
    if (!codec) {
      const spec = kind === "request" ? this.specs.request(apiKey) : this.specs.response(apiKey);
      if (!spec) throw new Error(`no ${kind} spec for API key ${apiKey}`);
      codec = new MessageCodec(spec);
      cache.set(apiKey, codec);
    }
    return codec;
  }

  decodeRequest(frameBody: Buffer, header: RequestHeader): Struct {
    return this.request(header.apiKey).decode(frameBody.subarray(header.bodyOffset), header.apiVersion);
  }

  decodeResponse(frameBody: Buffer, apiKey: number, apiVersion: number): Struct {
    const offset = responseHeaderLength(frameBody, responseHeaderVersion(this.specs, apiKey, apiVersion));
    return this.response(apiKey).decode(frameBody.subarray(offset), apiVersion);
  }

  /** A complete response frame (size prefix included). */
  encodeResponse(apiKey: number, apiVersion: number, correlationId: number, body: Struct): Buffer {
    const header = encodeResponseHeader(correlationId, responseHeaderVersion(this.specs, apiKey, apiVersion));
    return frame(Buffer.concat([header, this.response(apiKey).encode(body, apiVersion)]));
  }
}
