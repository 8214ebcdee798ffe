/**
 * The pieces the data plane is built on, checked against a real client's decoders: fence error responses
 * built from Kafka's JSON specs carry the error code where kafkajs looks for it, every response spec
 * round-trips through the generic codec at every version, and frames survive split and coalesced chunks.
 */
import * as os from "node:os";
import * as path from "node:path";
import { kafkaMessageSpecs, Protocol } from "../../../local/gateway";
import { buildErrorResponse } from "../../../local/gateway/protocol/errorResponse";
import { frame, FrameReader } from "../../../local/gateway/protocol/frames";
import { parseVersions } from "../../../local/gateway/protocol/versions";

interface KafkajsResponse {
  decode(buffer: Buffer): Promise<unknown>;
  parse(data: unknown): Promise<unknown>;
}
// kafkajs's own response decoders (used, not copied) play the client.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const produceV3 = require("kafkajs/src/protocol/requests/produce/v3/response") as KafkajsResponse;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const metadataV6 = require("kafkajs/src/protocol/requests/metadata/v6/response") as KafkajsResponse;

let protocol: Protocol;

beforeAll(async () => {
  protocol = new Protocol(await kafkaMessageSpecs(path.join(os.tmpdir(), "gateway-codec-test")));
});

function fenced(apiKey: number, version: number, request: Record<string, unknown>): Buffer {
  const codec = protocol.response(apiKey);
  const body = buildErrorResponse(
    codec,
    protocol.request(apiKey),
    version,
    protocol.request(apiKey).decode(protocol.request(apiKey).encode(request as never, version), version),
    8,
    "fenced",
  );
  return codec.encode(body, version);
}

it("a fenced Produce v3 answer puts BROKER_NOT_AVAILABLE on every requested partition", async () => {
  const request = {
    Acks: -1,
    TimeoutMs: 1000,
    TopicData: [
      {
        Name: "t",
        PartitionData: [
          { Index: 0, Records: null },
          { Index: 3, Records: null },
        ],
      },
    ],
  };
  const decoded = (await produceV3.decode(fenced(0, 3, request))) as {
    topics: { topicName: string; partitions: { partition: number; errorCode: number }[] }[];
  };
  expect(decoded.topics).toEqual([
    expect.objectContaining({
      topicName: "t",
      partitions: [
        expect.objectContaining({ partition: 0, errorCode: 8 }),
        expect.objectContaining({ partition: 3, errorCode: 8 }),
      ],
    }),
  ]);
  await expect(produceV3.parse(decoded)).rejects.toMatchObject({ type: "BROKER_NOT_AVAILABLE" });
});

it("a fenced Metadata v6 answer has the error on each requested topic and no brokers", async () => {
  const decoded = (await metadataV6.decode(
    fenced(3, 6, { Topics: [{ Name: "a" }, { Name: "b" }], AllowAutoTopicCreation: false }),
  )) as { brokers: unknown[]; topicMetadata: { topic: string; topicErrorCode: number }[] };
  expect(decoded.brokers).toEqual([]);
  expect(decoded.topicMetadata.map((t) => [t.topic, t.topicErrorCode])).toEqual([
    ["a", 8],
    ["b", 8],
  ]);
});

it("every response spec encodes its defaults and decodes them back, at every version", () => {
  let checked = 0;
  for (const apiKey of protocol.specs.apiKeys()) {
    const codec = protocol.response(apiKey);
    const range = parseVersions(codec.spec.validVersions);
    if (!range) continue;
    for (let v = range.min; v <= range.max; v++) {
      const bytes = codec.encode(codec.defaults(v), v);
      expect(codec.encode(codec.decode(bytes, v), v)).toEqual(bytes);
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(250);
});

it("reassembles frames from byte-by-byte and coalesced chunks", () => {
  const frames = [Buffer.from("first"), Buffer.alloc(0), Buffer.from("third frame")];
  const stream = Buffer.concat(frames.map(frame));
  const reader = new FrameReader();
  const out: Buffer[] = [];
  for (const b of stream.subarray(0, 7)) out.push(...reader.push(Buffer.from([b])));
  out.push(...reader.push(stream.subarray(7)));
  expect(out.map((b) => b.toString())).toEqual(["first", "", "third frame"]);
});
