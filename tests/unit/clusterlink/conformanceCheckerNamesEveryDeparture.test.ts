/**
 * The contract test's checker is only as good as what it catches: each departure from the public API, on the
 * request or the answer side, is named; a conforming exchange passes.
 */
import { violations, type Exchange } from "../../../local/clusterlink/api/conformance";

const base = "/kafka/v3/clusters/lkc-1/links";

function mirror(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: "KafkaMirrorData",
    metadata: { self: `http://x${base}/l1/mirrors/t1`, resource_name: null },
    link_name: "l1",
    mirror_topic_name: "t1",
    source_topic_name: "t1",
    num_partitions: 1,
    mirror_lags: [{ partition: 0, lag: 0, last_source_fetch_offset: 3 }],
    mirror_status: "ACTIVE",
    state_time_ms: 1,
    mirror_topic_error: "NO_ERROR",
    ...overrides,
  };
}

function exchange(e: Partial<Exchange>): Exchange {
  return {
    method: "GET",
    path: `${base}/l1/mirrors/t1`,
    query: new URLSearchParams(),
    requestBody: undefined,
    status: 200,
    responseBody: mirror(),
    ...e,
  };
}

it("passes a conforming exchange, and a conforming error", () => {
  expect(violations(exchange({}))).toEqual([]);
  expect(
    violations(
      exchange({ status: 404, responseBody: { error_code: 40403, message: "Mirror topic 't1' does not exist" } }),
    ),
  ).toEqual([]);
  expect(
    violations(
      exchange({
        method: "POST",
        path: `${base}/l1/mirrors:promote`,
        requestBody: { mirror_topic_names: ["t1"] },
        responseBody: {
          kind: "KafkaPromoteMirror",
          metadata: { self: "s", next: null },
          data: [
            {
              kind: "AlterMirrorsData",
              mirror_topic_name: "t1",
              error_code: null,
              error_message: null,
              mirror_lags: [],
              messages_truncated: null,
              partition_level_truncation_data: [],
            },
          ],
        },
      }),
    ),
  ).toEqual([]);
});

it("names a missing required field, a wrong type, a value outside an enum and a field the API does not have", () => {
  const { state_time_ms: _dropped, ...withoutTime } = mirror();
  expect(violations(exchange({ responseBody: withoutTime }))).toEqual([
    "readKafkaMirrorTopic response must have required property 'state_time_ms'",
  ]);
  expect(violations(exchange({ responseBody: mirror({ num_partitions: "1" }) }))).toEqual([
    "readKafkaMirrorTopic response/num_partitions must be integer",
  ]);
  expect(violations(exchange({ responseBody: mirror({ mirror_topic_error: "CreationFailed" }) }))[0]).toMatch(
    /^readKafkaMirrorTopic response\/mirror_topic_error must be equal to one of the allowed values \(UNKNOWN, /,
  );
  expect(violations(exchange({ responseBody: mirror({ mirror_lag: [] }) }))).toEqual([
    "readKafkaMirrorTopic response must NOT have additional properties 'mirror_lag'",
  ]);
});

it("names a request the API does not define: unknown path, query parameter, body field, missing body", () => {
  expect(violations(exchange({ method: "PUT", path: `${base}/l1/mirrors` }))).toEqual([
    `PUT ${base}/l1/mirrors: no operation of the API has this method and path`,
  ]);
  expect(violations(exchange({ query: new URLSearchParams({ verbose: "true" }) }))).toEqual([
    `GET ${base}/l1/mirrors/t1 (readKafkaMirrorTopic): query parameter 'verbose' is not defined`,
  ]);
  const create = { method: "POST", path: `${base}/l1/mirrors`, status: 204, responseBody: undefined };
  expect(violations(exchange({ ...create, requestBody: { source_topic: "t1" } }))).toEqual([
    "createKafkaMirrorTopic request body must have required property 'source_topic_name'",
    "createKafkaMirrorTopic request body must NOT have additional properties 'source_topic'",
  ]);
  expect(violations(exchange({ ...create }))).toEqual([
    `POST ${base}/l1/mirrors (createKafkaMirrorTopic): the request has no body`,
  ]);
});

it("names a wrong success status, content where there is none, and an error outside the envelope", () => {
  const create = { method: "POST", path: `${base}/l1/mirrors`, requestBody: { source_topic_name: "t1" } };
  expect(violations(exchange({ ...create, status: 201, responseBody: undefined }))).toEqual([
    `POST ${base}/l1/mirrors (createKafkaMirrorTopic): success is 204, answered 201`,
  ]);
  expect(violations(exchange({ ...create, status: 204, responseBody: { ok: true } }))).toEqual([
    `POST ${base}/l1/mirrors (createKafkaMirrorTopic): the success answer has no content`,
  ]);
  expect(violations(exchange({ status: 404, responseBody: { code: 404, error: "not found" } }))).toEqual([
    "readKafkaMirrorTopic error body (404) must have required property 'error_code'",
    "readKafkaMirrorTopic error body (404) must have required property 'message'",
    "readKafkaMirrorTopic error body (404) must NOT have additional properties 'code'",
    "readKafkaMirrorTopic error body (404) must NOT have additional properties 'error'",
  ]);
  expect(violations(exchange({ status: 404, responseBody: { error_code: 50003, message: "x" } }))).toEqual([
    "readKafkaMirrorTopic: error_code 50003 does not belong to HTTP 404",
  ]);
});

it("matches the all-links listing before a link named '-' would", () => {
  const list = {
    method: "GET",
    path: `${base}/-/mirrors`,
    responseBody: { kind: "KafkaMirrorDataList", metadata: { self: "s", next: null }, data: [mirror()] },
  };
  expect(violations(exchange(list))).toEqual([]);
});
