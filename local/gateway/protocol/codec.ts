import { Reader } from "./reader";
import type { FieldSpec, MessageSpec } from "./specs";
import { inVersions } from "./versions";
import { Writer } from "./writer";

/** A decoded message: plain data keyed by the spec's field names (int64 as bigint, uuid/bytes as Buffer). */
export type Value = null | boolean | number | bigint | string | Buffer | Value[] | Struct;
export interface Struct {
  [field: string]: Value | undefined;
}

/** Tagged fields the spec does not know are kept verbatim here, so a rewrite never drops them. */
export const UNKNOWN_TAGS = "_unknownTaggedFields";

const PRIMITIVES = new Set([
  "bool",
  "int8",
  "int16",
  "uint16",
  "int32",
  "uint32",
  "int64",
  "float64",
  "string",
  "bytes",
  "records",
  "uuid",
]);

export function isStruct(v: Value | undefined): v is Struct {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

function num(v: Value | undefined, field: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  throw new TypeError(`field ${field}: expected a number, got ${typeof v}`);
}

/** Schema-driven encoder/decoder for one message spec, for any of its versions. */
export class MessageCodec {
  private readonly common = new Map<string, FieldSpec[]>();

  constructor(readonly spec: MessageSpec) {
    for (const s of spec.commonStructs ?? []) this.common.set(s.name, s.fields);
  }

  isFlexible(version: number): boolean {
    return inVersions(this.spec.flexibleVersions, version);
  }

  decode(buffer: Buffer | Reader, version: number): Struct {
    const reader = buffer instanceof Reader ? buffer : new Reader(buffer);
    return this.readStruct(reader, this.spec.fields, version, this.isFlexible(version));
  }

  encode(value: Struct, version: number): Buffer {
    const writer = new Writer();
    this.writeStruct(writer, this.spec.fields, value, version, this.isFlexible(version));
    return writer.toBuffer();
  }

  /** A message with every field at its spec default (what error responses start from). */
  defaults(version: number): Struct {
    return this.defaultStruct(this.spec.fields, version);
  }

  fieldsOf(field: FieldSpec): FieldSpec[] {
    if (field.fields) return field.fields;
    const name = field.type.startsWith("[]") ? field.type.slice(2) : field.type;
    const common = this.common.get(name);
    if (!common) throw new Error(`${this.spec.name}: no struct ${name}`);
    return common;
  }

  isStructType(field: FieldSpec): boolean {
    const element = field.type.startsWith("[]") ? field.type.slice(2) : field.type;
    return !PRIMITIVES.has(element);
  }

  defaultStruct(fields: FieldSpec[], version: number): Struct {
    const out: Struct = {};
    for (const f of fields) {
      if (!inVersions(f.versions, version) || inVersions(f.taggedVersions, version)) continue;
      out[f.name] = this.defaultValue(f, version);
    }
    return out;
  }

  defaultValue(f: FieldSpec, version: number): Value {
    const nullable = inVersions(f.nullableVersions, version);
    const d = f.default;
    if (f.type.startsWith("[]")) return nullable && d === "null" ? null : [];
    if (!PRIMITIVES.has(f.type)) return nullable && d === "null" ? null : this.defaultStruct(this.fieldsOf(f), version);
    switch (f.type) {
      case "bool":
        return d === true || d === "true";
      case "int64":
        return BigInt(d === undefined || d === "" ? 0 : d);
      case "string":
        return d === "null" && nullable ? null : typeof d === "string" ? d : "";
      case "bytes":
      case "records":
        return nullable && d === "null" ? null : Buffer.alloc(0);
      case "uuid":
        return Buffer.alloc(16);
      default:
        return Number(d === undefined || d === "" ? 0 : d);
    }
  }

  private fieldFlexible(f: FieldSpec, version: number, flexible: boolean): boolean {
    return flexible && (f.flexibleVersions === undefined || inVersions(f.flexibleVersions, version));
  }

  private readStruct(r: Reader, fields: FieldSpec[], version: number, flexible: boolean): Struct {
    const out: Struct = {};
    for (const f of fields) {
      if (!inVersions(f.versions, version)) continue;
      if (flexible && inVersions(f.taggedVersions, version)) continue;
      out[f.name] = this.readField(r, f, version, this.fieldFlexible(f, version, flexible));
    }
    if (flexible) {
      const count = r.uvarint();
      const unknown: Value[] = [];
      for (let i = 0; i < count; i++) {
        const tag = r.uvarint();
        const data = r.bytes(r.uvarint());
        const f = fields.find(
          (x) => x.tag === tag && inVersions(x.taggedVersions, version) && inVersions(x.versions, version),
        );
        if (f) out[f.name] = this.readField(new Reader(data), f, version, true);
        else unknown.push({ tag, data });
      }
      if (unknown.length > 0) out[UNKNOWN_TAGS] = unknown;
    }
    return out;
  }

  private readField(r: Reader, f: FieldSpec, version: number, flexible: boolean): Value {
    const nullable = inVersions(f.nullableVersions, version);
    if (f.type.startsWith("[]")) {
      const n = flexible ? r.uvarint() - 1 : r.int32();
      if (n < 0) return null;
      const element = f.type.slice(2);
      const out: Value[] = [];
      if (PRIMITIVES.has(element)) {
        for (let i = 0; i < n; i++) out.push(this.readPrimitive(r, element, false, flexible));
      } else {
        const fields = this.fieldsOf(f);
        for (let i = 0; i < n; i++) out.push(this.readStruct(r, fields, version, flexible));
      }
      return out;
    }
    if (!PRIMITIVES.has(f.type)) {
      if (nullable && r.int8() < 0) return null;
      return this.readStruct(r, this.fieldsOf(f), version, flexible);
    }
    return this.readPrimitive(r, f.type, nullable, flexible);
  }

  private readPrimitive(r: Reader, type: string, nullable: boolean, flexible: boolean): Value {
    switch (type) {
      case "bool":
        return r.int8() !== 0;
      case "int8":
        return r.int8();
      case "int16":
        return r.int16();
      case "uint16":
        return r.uint16();
      case "int32":
        return r.int32();
      case "uint32":
        return r.uint32();
      case "int64":
        return r.int64();
      case "float64":
        return r.float64();
      case "uuid":
        return Buffer.from(r.bytes(16));
      case "string": {
        const n = flexible ? r.uvarint() - 1 : r.int16();
        if (n < 0) {
          if (!nullable) throw new Error("null in a non-nullable string");
          return null;
        }
        return r.bytes(n).toString("utf8");
      }
      default: {
        const n = flexible ? r.uvarint() - 1 : r.int32();
        return n < 0 ? null : Buffer.from(r.bytes(n));
      }
    }
  }

  private writeStruct(w: Writer, fields: FieldSpec[], value: Struct, version: number, flexible: boolean): void {
    const tagged: { tag: number; data: Buffer }[] = [];
    for (const f of fields) {
      if (!inVersions(f.versions, version)) continue;
      if (flexible && inVersions(f.taggedVersions, version)) {
        const v = value[f.name];
        if (v === undefined || f.tag === undefined) continue;
        const sub = new Writer();
        this.writeField(sub, f, v, version, true);
        tagged.push({ tag: f.tag, data: sub.toBuffer() });
        continue;
      }
      const v = value[f.name];
      this.writeField(
        w,
        f,
        v === undefined ? this.defaultValue(f, version) : v,
        version,
        this.fieldFlexible(f, version, flexible),
      );
    }
    if (!flexible) return;
    const unknown = value[UNKNOWN_TAGS];
    if (Array.isArray(unknown)) {
      for (const u of unknown) {
        if (isStruct(u) && typeof u.tag === "number" && Buffer.isBuffer(u.data))
          tagged.push({ tag: u.tag, data: u.data });
      }
    }
    tagged.sort((a, b) => a.tag - b.tag);
    w.uvarint(tagged.length);
    for (const t of tagged) w.uvarint(t.tag).uvarint(t.data.length).raw(t.data);
  }

  private writeField(w: Writer, f: FieldSpec, v: Value, version: number, flexible: boolean): void {
    if (f.type.startsWith("[]")) {
      if (v === null) {
        if (flexible) w.uvarint(0);
        else w.int32(-1);
        return;
      }
      if (!Array.isArray(v)) throw new TypeError(`field ${f.name}: expected an array`);
      if (flexible) w.uvarint(v.length + 1);
      else w.int32(v.length);
      const element = f.type.slice(2);
      if (PRIMITIVES.has(element)) {
        for (const e of v) this.writePrimitive(w, element, e, f.name, flexible);
      } else {
        const fields = this.fieldsOf(f);
        for (const e of v) {
          if (!isStruct(e)) throw new TypeError(`field ${f.name}: expected struct elements`);
          this.writeStruct(w, fields, e, version, flexible);
        }
      }
      return;
    }
    if (!PRIMITIVES.has(f.type)) {
      const nullable = inVersions(f.nullableVersions, version);
      if (nullable) {
        w.int8(v === null ? -1 : 1);
        if (v === null) return;
      }
      if (!isStruct(v)) throw new TypeError(`field ${f.name}: expected a struct`);
      this.writeStruct(w, this.fieldsOf(f), v, version, flexible);
      return;
    }
    this.writePrimitive(w, f.type, v, f.name, flexible);
  }

  private writePrimitive(w: Writer, type: string, v: Value | undefined, name: string, flexible: boolean): void {
    switch (type) {
      case "bool":
        w.int8(v ? 1 : 0);
        return;
      case "int8":
        w.int8(num(v, name));
        return;
      case "int16":
        w.int16(num(v, name));
        return;
      case "uint16":
        w.uint16(num(v, name));
        return;
      case "int32":
        w.int32(num(v, name));
        return;
      case "uint32":
        w.uint32(num(v, name));
        return;
      case "int64":
        w.int64(typeof v === "bigint" ? v : BigInt(num(v, name)));
        return;
      case "float64":
        w.float64(num(v, name));
        return;
      case "uuid":
        w.raw(Buffer.isBuffer(v) && v.length === 16 ? v : Buffer.alloc(16));
        return;
      case "string": {
        if (v === null || v === undefined) {
          if (flexible) w.uvarint(0);
          else w.int16(-1);
          return;
        }
        if (typeof v !== "string") throw new TypeError(`field ${name}: expected a string`);
        const b = Buffer.from(v, "utf8");
        if (flexible) w.uvarint(b.length + 1);
        else w.int16(b.length);
        w.raw(b);
        return;
      }
      default: {
        if (v === null || v === undefined) {
          if (flexible) w.uvarint(0);
          else w.int32(-1);
          return;
        }
        if (!Buffer.isBuffer(v)) throw new TypeError(`field ${name}: expected bytes`);
        if (flexible) w.uvarint(v.length + 1);
        else w.int32(v.length);
        w.raw(v);
      }
    }
  }
}
