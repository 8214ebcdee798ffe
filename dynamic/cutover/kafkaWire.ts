/**
 * The little of Kafka's wire format the cutover needs for requests kafkajs 2.2.4 does not have
 * (ConsumerGroupHeartbeat, DescribeProducers: flexible versions only, with compact strings and arrays and
 * tagged fields), sent on the connections of kafkajs' own cluster and brokers, so that SASL, TLS and metadata
 * are kafkajs'. The kafkajs internals used are checked and fail loudly if an upgrade moved them.
 */
import type { Kafka } from "kafkajs";

// ---- encoding ----

export function uvarint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n >>> 0;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

export function compactString(s: string | null): Buffer {
  if (s === null) return uvarint(0);
  const b = Buffer.from(s, "utf8");
  return Buffer.concat([uvarint(b.length + 1), b]);
}

/** A compact array: its length + 1, then the items (null: 0). */
export function compactArray(items: readonly Buffer[] | null): Buffer {
  return items === null ? uvarint(0) : Buffer.concat([uvarint(items.length + 1), ...items]);
}

export function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

/** Tagged fields with none set: ends every flexible struct, and request header v2 (kafkajs writes v1). */
export const NO_TAGGED_FIELDS = uvarint(0);

// ---- decoding ----

/** Reads a flexible response body in order. */
export class WireReader {
  private offset = 0;

  constructor(private readonly payload: Buffer) {}

  private need(n: number): void {
    if (this.offset + n > this.payload.length) throw new Error("the response ended early");
  }

  uvarint(): number {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      this.need(1);
      const byte = this.payload[this.offset++];
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      if (shift > 28) throw new Error("malformed varint in the response");
    }
  }

  int16(): number {
    this.need(2);
    const v = this.payload.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.payload.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** As a decimal string: producer ids and offsets do not fit a double's exact range in general. */
  int64(): string {
    this.need(8);
    const v = this.payload.readBigInt64BE(this.offset);
    this.offset += 8;
    return v.toString();
  }

  compactString(): string | null {
    const n = this.uvarint();
    if (n === 0) return null;
    this.need(n - 1);
    const s = this.payload.toString("utf8", this.offset, this.offset + n - 1);
    this.offset += n - 1;
    return s;
  }

  compactArray<T>(item: () => T): T[] {
    const n = this.uvarint();
    const out: T[] = [];
    for (let i = 0; i < n - 1; i++) out.push(item());
    return out;
  }

  taggedFields(): void {
    for (let n = this.uvarint(); n > 0; n--) {
      this.uvarint(); // tag
      const size = this.uvarint();
      this.need(size);
      this.offset += size;
    }
  }
}

// ---- kafkajs' cluster and brokers ----

/** What kafkajs' request framing accepts as an encoded payload (its Encoder's `buf`/`buffer`). */
interface EncodedPayload {
  readonly buf: Buffer;
  readonly buffer: Buffer;
}

interface InternalConnectionPool {
  send(protocolRequest: {
    request: { apiKey: number; apiVersion: number; apiName: string; encode(): Promise<EncodedPayload> };
    response: { decode(payload: Buffer): Promise<unknown>; parse(data: unknown): Promise<unknown> };
  }): Promise<unknown>;
}

export interface InternalBroker {
  connectionPool?: InternalConnectionPool;
}

export interface PartitionMetadata {
  readonly partitionId: number;
  readonly leader: number;
}

export interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<InternalBroker>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  findTopicPartitionMetadata(topic: string): PartitionMetadata[];
  findBroker(request: { nodeId: number }): Promise<InternalBroker>;
}

type CreateCluster = (options: { allowAutoTopicCreation: boolean; instrumentationEmitter: null }) => InternalCluster;

const CREATE_CLUSTER = "private:Kafka:createCluster";

/** kafkajs' own Cluster for `kafka` (same brokers, SASL, TLS), not connected yet. */
export function clusterOf(kafka: Kafka): InternalCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === CREATE_CLUSTER);
  const create = symbol ? (kafka as unknown as Record<symbol, unknown>)[symbol] : undefined;
  if (typeof create !== "function")
    throw new Error(`kafkajs internals changed: Kafka has no ${CREATE_CLUSTER} (written for kafkajs 2.2.4)`);
  const cluster = (create as CreateCluster)({ allowAutoTopicCreation: false, instrumentationEmitter: null });
  for (const method of [
    "connect",
    "disconnect",
    "findGroupCoordinator",
    "addMultipleTargetTopics",
    "findTopicPartitionMetadata",
    "findBroker",
  ] as const) {
    if (typeof cluster[method] !== "function") throw new Error(`kafkajs internals changed: Cluster has no ${method}()`);
  }
  return cluster;
}

/** Sends one request whose body (after request header v1) is `body`, and decodes what follows the correlation id. */
export async function sendRaw<T>(
  broker: InternalBroker,
  api: { readonly key: number; readonly version: number; readonly name: string },
  body: Buffer,
  decode: (payload: Buffer) => T,
): Promise<T> {
  const pool = broker.connectionPool;
  if (!pool || typeof pool.send !== "function")
    throw new Error("kafkajs internals changed: Broker has no connectionPool.send() (written for kafkajs 2.2.4)");
  const decoded = await pool.send({
    request: {
      apiKey: api.key,
      apiVersion: api.version,
      apiName: api.name,
      encode: async () => ({ buf: body, buffer: body }),
    },
    response: { decode: async (payload: Buffer) => decode(payload), parse: async (data: unknown) => data },
  });
  return decoded as T;
}
