import { isStruct, type MessageCodec, type Struct, type Value } from "./codec";
import type { FieldSpec } from "./specs";
import { inVersions } from "./versions";

// Response arrays that answer a request array of another name (Produce TopicData -> Responses, ...).
const ARRAY_ALIASES: Record<string, string[]> = {
  Responses: ["TopicData", "Topics"],
  PartitionResponses: ["PartitionData", "Partitions"],
  Topics: ["Topics", "TopicData"],
  Partitions: ["Partitions", "PartitionIndexes", "PartitionData"],
  Groups: ["Groups", "GroupIds"],
  Coordinators: ["CoordinatorKeys"],
  Results: ["Topics", "Resources", "Groups"],
};

// Key fields copied from the request element into the answering response element.
const KEY_ALIASES: Record<string, string[]> = {
  Name: ["Name", "Topic"],
  Topic: ["Topic", "Name"],
  TopicId: ["TopicId"],
  PartitionIndex: ["PartitionIndex", "Partition", "Index"],
  Index: ["Index", "PartitionIndex", "Partition"],
  GroupId: ["GroupId"],
  Key: ["Key"],
};

function present(f: FieldSpec, version: number): boolean {
  return inVersions(f.versions, version) && !inVersions(f.taggedVersions, version);
}

/**
 * Builds the response a broker would send if it failed `request` with `errorCode` everywhere: every
 * `...ErrorCode` field holds the code, and response arrays mirror the request's topics/partitions/groups
 * so that per-partition errors land on the partitions the client asked about.
 */
export function buildErrorResponse(
  codec: MessageCodec,
  requestCodec: MessageCodec,
  version: number,
  request: Struct,
  errorCode: number,
  message: string,
): Struct {
  return fillStruct(codec, requestCodec.spec.fields, codec.spec.fields, request, version, errorCode, message);
}

function fillStruct(
  codec: MessageCodec,
  requestFields: FieldSpec[],
  fields: FieldSpec[],
  request: Struct | undefined,
  version: number,
  errorCode: number,
  message: string,
): Struct {
  const out = codec.defaultStruct(fields, version);
  for (const f of fields) {
    if (!present(f, version)) continue;
    if (f.type === "int16" && f.name.endsWith("ErrorCode")) out[f.name] = errorCode;
    else if (f.type === "string" && f.name === "ErrorMessage") out[f.name] = message;
    else if (f.type.startsWith("[]") && codec.isStructType(f)) {
      out[f.name] = mirrorArray(codec, requestFields, f, request, version, errorCode, message);
    }
  }
  if (request) {
    for (const f of fields) {
      if (!present(f, version) || f.type.startsWith("[]")) continue;
      for (const alias of KEY_ALIASES[f.name] ?? []) {
        const v = request[alias];
        if (v !== undefined && typeof v !== "object") {
          out[f.name] = v;
          break;
        }
        if (Buffer.isBuffer(v) && f.type === "uuid") {
          out[f.name] = v;
          break;
        }
      }
    }
  }
  return out;
}

function mirrorArray(
  codec: MessageCodec,
  requestFields: FieldSpec[],
  f: FieldSpec,
  request: Struct | undefined,
  version: number,
  errorCode: number,
  message: string,
): Value[] {
  if (!request) return [];
  const candidates = [f.name, ...(ARRAY_ALIASES[f.name] ?? [])];
  const name = candidates.find((c) => Array.isArray(request[c]));
  if (!name) return [];
  const source = request[name] as Value[];
  const requestField = requestFields.find((rf) => rf.name === name);
  const elementFields = codec.fieldsOf(f);
  return source.map((element) => {
    if (isStruct(element)) {
      const nested =
        requestField && requestField.type.startsWith("[]") && requestField.fields ? requestField.fields : [];
      return fillStruct(codec, nested, elementFields, element, version, errorCode, message);
    }
    // A request list of names/ids answered by structs (DescribeGroups GroupIds -> Groups, CoordinatorKeys -> Coordinators).
    const keyField = elementFields.find(
      (ef) => present(ef, version) && ["Name", "GroupId", "Key", "PartitionIndex", "Topic"].includes(ef.name),
    );
    const filled = fillStruct(codec, [], elementFields, undefined, version, errorCode, message);
    if (keyField) filled[keyField.name] = element;
    return filled;
  });
}
