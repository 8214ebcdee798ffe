// A minimal Kafka client over a socket, built on the gateway's own spec-driven codec: for requests kafkajs
// cannot send (AlterUserScramCredentials deletions) and for checking exact error codes.
import * as net from "node:net";
import type { Protocol } from "../../../../local/gateway";
import type { Struct } from "../../../../local/gateway/protocol/codec";
import { frame, FrameReader } from "../../../../local/gateway/protocol/frames";
import { encodeRequestHeader } from "../../../../local/gateway/protocol/headers";

export class RawKafkaClient {
  private readonly frames = new FrameReader();
  private readonly pending = new Map<
    number,
    { apiKey: number; apiVersion: number; resolve: (s: Struct) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;

  private constructor(
    private readonly socket: net.Socket,
    private readonly protocol: Protocol,
  ) {
    socket.on("data", (chunk: Buffer) => {
      for (const body of this.frames.push(chunk)) {
        const id = body.readInt32BE(0);
        const p = this.pending.get(id);
        if (!p) continue;
        this.pending.delete(id);
        p.resolve(this.protocol.decodeResponse(body, p.apiKey, p.apiVersion));
      }
    });
    const fail = (): void => {
      for (const p of this.pending.values()) p.reject(new Error("connection closed"));
      this.pending.clear();
    };
    socket.on("close", fail);
    socket.on("error", fail);
  }

  static connect(port: number, protocol: Protocol): Promise<RawKafkaClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => resolve(new RawKafkaClient(socket, protocol)));
      socket.once("error", reject);
    });
  }

  request(apiKey: number, apiVersion: number, body: Struct): Promise<Struct> {
    const correlationId = this.nextId++;
    const headerVersion = this.protocol.specs.requestIsFlexible(apiKey, apiVersion) ? 2 : 1;
    const header = encodeRequestHeader({ apiKey, apiVersion, correlationId, clientId: "raw-test" }, headerVersion);
    return new Promise((resolve, reject) => {
      this.pending.set(correlationId, { apiKey, apiVersion, resolve, reject });
      this.socket.write(frame(Buffer.concat([header, this.protocol.request(apiKey).encode(body, apiVersion)])));
    });
  }

  /** SaslHandshake v1 + SaslAuthenticate v2 with PLAIN; returns the SaslAuthenticate response. */
  async plainLogin(username: string, password: string): Promise<Struct> {
    await this.request(17, 1, { Mechanism: "PLAIN" });
    return this.request(36, 2, { AuthBytes: Buffer.from(`\u0000${username}\u0000${password}`, "utf8") });
  }

  /**
   * SaslHandshake v1 + SaslAuthenticate v2 with OAUTHBEARER (RFC 7628). A refused token comes back as an error
   * challenge, acknowledged with %x01 as the RFC says; returns the final SaslAuthenticate response and the challenge.
   */
  async oauthBearerLogin(
    token: string,
    extensions: Record<string, string> = {},
  ): Promise<{ response: Struct; challenge: string }> {
    await this.request(17, 1, { Mechanism: "OAUTHBEARER" });
    const kv = Object.entries(extensions).map(([k, v]) => `\u0001${k}=${v}`);
    const message = Buffer.from(`n,,\u0001auth=Bearer ${token}${kv.join("")}\u0001\u0001`, "utf8");
    const first = await this.request(36, 2, { AuthBytes: message });
    const challenge = Buffer.from(first.AuthBytes as Buffer).toString("utf8");
    if (first.ErrorCode !== 0 || challenge === "") return { response: first, challenge };
    return { response: await this.request(36, 2, { AuthBytes: Buffer.from([1]) }), challenge };
  }

  close(): void {
    this.socket.destroy();
  }
}
