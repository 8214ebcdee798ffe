// Object semantics on top of the store, as the apiserver's registry implements them: create, update,
// the patch formats (server-side apply included), the /status subresource, delete with finalizers,
// uid/creationTimestamp/generation, managedFields, dry runs, and the Secret and Namespace specifics.
// The HTTP layer (server.ts) and in-process users (the Gateway operator emulator) both call this.
import { randomBytes, randomUUID } from "node:crypto";
import type { Subresource } from "./apply";
import { apply, inScope, recordUpdate } from "./apply";
import { ApiError, alreadyExists, badRequest, conflict, invalid, notFound } from "./errors";
import {
  APPLY_PATCH,
  JSON_PATCH,
  MERGE_PATCH,
  STRATEGIC_MERGE_PATCH,
  jsonPatch,
  mergePatch,
  parseJson,
  parseYamlOrJson,
} from "./patch";
import type { ResourceType } from "./resources";
import { RESOURCE_TYPES, apiVersionOf, findType, typeKey } from "./resources";
import type { Selector } from "./selectors";
import type { Store } from "./store";
import type { JsonObject, JsonValue, KubeObject, ManagedFieldsEntry } from "./types";
import { asJson, asKube, clone, deepEqual, isJsonObject } from "./types";

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  /** the User-Agent, from which the apiserver derives a default field manager for non-apply writes */
  userAgent?: string;
}

export interface PatchOptions extends WriteOptions {
  force?: boolean;
}

export interface DeleteOptions {
  dryRun?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

const SERVER_FIELDS = [
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "managedFields",
  "selfLink",
];

function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

function defaultManager(userAgent: string | undefined): string {
  return (userAgent ?? "unknown").split("/")[0] || "unknown";
}

/** The content that metadata.generation tracks: everything but metadata and status. */
function specContent(o: JsonObject): JsonObject {
  const rest = { ...o };
  delete rest.metadata;
  delete rest.status;
  delete rest.apiVersion;
  delete rest.kind;
  return rest;
}

function metaOf(o: JsonObject): JsonObject {
  return isJsonObject(o.metadata) ? o.metadata : {};
}

function stripServerFields(o: JsonObject): JsonObject {
  const out = clone(o);
  const meta = metaOf(out);
  for (const f of SERVER_FIELDS) delete meta[f];
  out.metadata = meta;
  return out;
}

export class Registry {
  constructor(readonly store: Store) {
    for (const ns of ["default", "kube-system", "kube-public"]) this.ensureNamespace(ns);
  }

  ensureNamespace(name: string): void {
    const rt = this.type("", "v1", "namespaces");
    if (!this.store.get(typeKey(rt), undefined, name)) {
      this.create(
        rt,
        undefined,
        { apiVersion: "v1", kind: "Namespace", metadata: { name } },
        { fieldManager: "kube-apiserver" },
      );
    }
  }

  /** Seeds a cluster-scoped or namespaced object as a cluster admin would have created it (e.g. a CRD). */
  seed(object: JsonObject): KubeObject {
    const rt = RESOURCE_TYPES.find((t) => apiVersionOf(t) === object.apiVersion && t.kind === object.kind);
    if (!rt) throw badRequest(`unknown kind ${String(object.kind)}`);
    const meta = metaOf(object);
    const existing = this.store.get(
      typeKey(rt),
      typeof meta.namespace === "string" ? meta.namespace : undefined,
      String(meta.name),
    );
    if (existing) return existing;
    const created = this.create(
      rt,
      typeof meta.namespace === "string" ? meta.namespace : undefined,
      inScope(object, "", false),
      { fieldManager: "kube-apiserver" },
    );
    if (rt.statusSubresource && isJsonObject(object.status)) {
      return this.update(
        rt,
        created.metadata.namespace,
        created.metadata.name,
        { ...asJson(created), status: object.status },
        { fieldManager: "kube-apiserver" },
        "status",
      );
    }
    return created;
  }

  type(group: string, version: string, plural: string): ResourceType {
    const rt = findType(group, version, plural);
    if (!rt) throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    return rt;
  }

  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const o = this.store.get(typeKey(rt), namespace, name);
    if (!o) throw notFound(rt, name);
    return o;
  }

  list(
    rt: ResourceType,
    namespace: string | undefined,
    selector: Selector = () => true,
  ): { items: KubeObject[]; resourceVersion: string } {
    return {
      items: this.store.list(typeKey(rt), namespace).filter(selector),
      resourceVersion: String(this.store.resourceVersion),
    };
  }

  create(rt: ResourceType, namespace: string | undefined, body: JsonValue, opts: WriteOptions): KubeObject {
    const obj = this.checkBody(rt, namespace, body, undefined);
    const meta = metaOf(obj);
    if (!meta.name && typeof meta.generateName === "string")
      meta.name = meta.generateName + randomBytes(3).toString("hex").slice(0, 5);
    const name = typeof meta.name === "string" ? meta.name : "";
    if (!name)
      throw invalid(rt, "", [
        {
          field: "metadata.name",
          message: "Required value: name or generateName is required",
          reason: "FieldValueRequired",
        },
      ]);
    this.checkNamespaceExists(rt, namespace);
    if (this.store.get(typeKey(rt), namespace, name)) throw alreadyExists(rt, name);
    const content =
      rt.statusSubresource && rt.group !== "" ? inScope(stripServerFields(obj), "", true) : stripServerFields(obj);
    const manager = opts.fieldManager ?? defaultManager(opts.userAgent);
    return this.commit(rt, undefined, content, {
      manager,
      operation: "create",
      subresource: "",
      dryRun: opts.dryRun ?? false,
    });
  }

  /** PUT of the main resource or of /status. */
  update(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    body: JsonValue,
    opts: WriteOptions,
    subresource: Subresource = "",
  ): KubeObject {
    const current = this.get(rt, namespace, name);
    const obj = this.checkBody(rt, namespace, body, name);
    const rv = metaOf(obj).resourceVersion;
    if (rv === undefined || rv === "") {
      if (!rt.unconditionalUpdate) {
        throw invalid(rt, name, [
          { field: "metadata.resourceVersion", message: "Invalid value: 0x0: must be specified for an update" },
        ]);
      }
    } else if (rv !== current.metadata.resourceVersion) {
      throw conflict(
        rt,
        name,
        "the object has been modified; please apply your changes to the latest version and try again",
      );
    }
    const manager = opts.fieldManager ?? defaultManager(opts.userAgent);
    const explicitFields = metaOf(obj).managedFields;
    const next = this.replaceContent(rt, current, obj, subresource);
    return this.commit(rt, current, next, {
      manager,
      operation: "update",
      subresource,
      dryRun: opts.dryRun ?? false,
      ...(Array.isArray(explicitFields) && !deepEqual(explicitFields, current.metadata.managedFields ?? [])
        ? { explicitManagedFields: explicitFields as unknown as ManagedFieldsEntry[] }
        : {}),
    });
  }

  patch(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    contentType: string,
    body: string,
    opts: PatchOptions,
    subresource: Subresource = "",
  ): KubeObject {
    const type = contentType.split(";")[0].trim().toLowerCase();
    if (type === APPLY_PATCH) return this.applyPatch(rt, namespace, name, body, opts, subresource);
    if (![MERGE_PATCH, JSON_PATCH, STRATEGIC_MERGE_PATCH].includes(type)) {
      throw new ApiError(
        415,
        "UnsupportedMediaType",
        `the body of the request was in an unknown format - accepted media types include: ${[JSON_PATCH, MERGE_PATCH, APPLY_PATCH, STRATEGIC_MERGE_PATCH].join(", ")}`,
      );
    }
    const current = this.get(rt, namespace, name);
    const patched =
      type === JSON_PATCH ? jsonPatch(asJson(current), parseJson(body)) : mergePatch(asJson(current), parseJson(body));
    if (!isJsonObject(patched)) throw badRequest("the patch did not produce an object");
    const rv = metaOf(patched).resourceVersion;
    if (rv !== undefined && rv !== current.metadata.resourceVersion) {
      throw conflict(
        rt,
        name,
        "the object has been modified; please apply your changes to the latest version and try again",
      );
    }
    const obj = this.checkBody(rt, namespace, patched, name);
    const explicitFields = metaOf(obj).managedFields;
    const next = this.replaceContent(rt, current, obj, subresource);
    return this.commit(rt, current, next, {
      manager: opts.fieldManager ?? defaultManager(opts.userAgent),
      operation: "update",
      subresource,
      dryRun: opts.dryRun ?? false,
      ...(Array.isArray(explicitFields) && !deepEqual(explicitFields, current.metadata.managedFields ?? [])
        ? { explicitManagedFields: explicitFields as unknown as ManagedFieldsEntry[] }
        : {}),
    });
  }

  delete(rt: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KubeObject {
    const current = this.get(rt, namespace, name);
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== current.metadata.uid) {
      throw conflict(
        rt,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    }
    if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(
        rt,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
      );
    }
    if (opts.dryRun) return current;
    if ((current.metadata.finalizers ?? []).length > 0) {
      if (current.metadata.deletionTimestamp) return current;
      const marked = clone(current);
      marked.metadata.deletionTimestamp = nowIso();
      return this.store.put(typeKey(rt), marked);
    }
    if (rt.kind === "Namespace") {
      for (const t of RESOURCE_TYPES.filter((x) => x.namespaced)) {
        for (const o of this.store.list(typeKey(t), name)) this.store.remove(typeKey(t), name, o.metadata.name);
      }
    }
    return this.store.remove(typeKey(rt), namespace, name) ?? current;
  }

  private applyPatch(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    body: string,
    opts: PatchOptions,
    subresource: Subresource,
  ): KubeObject {
    if (!opts.fieldManager) {
      throw invalid(rt, name, [
        { field: "fieldManager", message: "Required value: is required for apply patch", reason: "FieldValueRequired" },
      ]);
    }
    const parsed = parseYamlOrJson(body);
    if (!isJsonObject(parsed)) throw badRequest("the apply configuration must be an object");
    for (const f of ["apiVersion", "kind"]) {
      if (typeof parsed[f] !== "string" || !parsed[f]) {
        throw invalid(rt, name, [
          { field: f, message: "Required value: must not be empty", reason: "FieldValueRequired" },
        ]);
      }
    }
    const obj = this.checkBody(rt, namespace, parsed, name);
    const current = this.store.get(typeKey(rt), namespace, name);
    const rv = metaOf(obj).resourceVersion;
    if (current && rv !== undefined && rv !== current.metadata.resourceVersion) {
      throw conflict(
        rt,
        name,
        "the object has been modified; please apply your changes to the latest version and try again",
      );
    }
    if (!current && subresource === "status") throw notFound(rt, name);
    if (!current) this.checkNamespaceExists(rt, namespace);

    const applied = inScope(stripServerFields(obj), subresource, rt.statusSubresource);
    const liveFull = current ? stripServerFields(asJson(current)) : undefined;
    const outcome = apply({
      live: liveFull ? inScope(liveFull, subresource, rt.statusSubresource) : undefined,
      managedFields: current?.metadata.managedFields ?? [],
      applied,
      manager: opts.fieldManager,
      force: opts.force ?? false,
      subresource,
      apiVersion: apiVersionOf(rt),
      now: nowIso(),
    });
    let next: JsonObject;
    if (subresource === "status") next = { ...(liveFull ?? {}), status: outcome.object.status ?? null };
    else {
      next = outcome.object;
      if (rt.statusSubresource && liveFull && liveFull.status !== undefined) next.status = liveFull.status;
    }
    if (next.status === null) delete next.status;
    next.apiVersion = apiVersionOf(rt);
    next.kind = rt.kind;
    const meta = metaOf(next);
    meta.name = name;
    if (rt.namespaced) meta.namespace = namespace ?? "default";
    next.metadata = meta;
    return this.commit(rt, current, next, {
      manager: opts.fieldManager,
      operation: current ? "update" : "create",
      subresource,
      dryRun: opts.dryRun ?? false,
      explicitManagedFields: outcome.managedFields,
    });
  }

  /** The object a PUT (or non-apply patch) asks for, with what that write may not change kept from `current`. */
  private replaceContent(rt: ResourceType, current: KubeObject, obj: JsonObject, subresource: Subresource): JsonObject {
    const cur = stripServerFields(asJson(current));
    if (subresource === "status") return { ...cur, status: obj.status ?? null };
    const next = stripServerFields(obj);
    if (rt.statusSubresource) {
      if (cur.status === undefined) delete next.status;
      else next.status = cur.status;
    }
    return next;
  }

  private checkBody(
    rt: ResourceType,
    namespace: string | undefined,
    body: JsonValue,
    urlName: string | undefined,
  ): JsonObject {
    if (!isJsonObject(body)) throw badRequest("the request body must be a JSON object");
    const obj = clone(body);
    if (obj.apiVersion === undefined) obj.apiVersion = apiVersionOf(rt);
    if (obj.kind === undefined) obj.kind = rt.kind;
    if (obj.apiVersion !== apiVersionOf(rt) || obj.kind !== rt.kind) {
      throw badRequest(
        `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${apiVersionOf(rt)}) or kind (${String(obj.kind)} vs ${rt.kind})`,
      );
    }
    const meta = metaOf(obj);
    obj.metadata = meta;
    if (urlName !== undefined) {
      if (meta.name === undefined || meta.name === "") meta.name = urlName;
      else if (meta.name !== urlName)
        throw badRequest(
          `the name of the object (${String(meta.name)}) does not match the name on the URL (${urlName})`,
        );
    }
    if (rt.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== "" && meta.namespace !== namespace) {
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.namespace = namespace ?? "default";
    } else delete meta.namespace;
    return obj;
  }

  private checkNamespaceExists(rt: ResourceType, namespace: string | undefined): void {
    if (!rt.namespaced) return;
    const nsType = this.type("", "v1", "namespaces");
    if (!this.store.get(typeKey(nsType), undefined, namespace ?? "default"))
      throw notFound(nsType, namespace ?? "default");
  }

  private normalize(rt: ResourceType, obj: JsonObject): JsonObject {
    const name = String(metaOf(obj).name ?? "");
    if (rt.kind === "Secret") {
      const data: JsonObject = isJsonObject(obj.data) ? obj.data : {};
      if (isJsonObject(obj.stringData)) {
        for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v ?? "")).toString("base64");
      }
      delete obj.stringData;
      for (const [k, v] of Object.entries(data)) {
        if (typeof v !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) {
          throw invalid(rt, name, [{ field: `data[${k}]`, message: "Invalid value: illegal base64 data" }]);
        }
      }
      if (Object.keys(data).length > 0) obj.data = data;
      else delete obj.data;
      if (obj.type === undefined) obj.type = "Opaque";
    }
    if (rt.kind === "Namespace") {
      obj.status = isJsonObject(obj.status) ? obj.status : { phase: "Active" };
      const meta = metaOf(obj);
      meta.labels = { ...(isJsonObject(meta.labels) ? meta.labels : {}), "kubernetes.io/metadata.name": name };
    }
    return obj;
  }

  private commit(
    rt: ResourceType,
    before: KubeObject | undefined,
    content: JsonObject,
    w: {
      manager: string;
      operation: "create" | "update";
      subresource: Subresource;
      dryRun: boolean;
      explicitManagedFields?: ManagedFieldsEntry[];
    },
  ): KubeObject {
    const next = this.normalize(rt, clone(content));
    const meta = metaOf(next);
    const prevMeta = before?.metadata;
    const beforeJson = before ? stripServerFields(asJson(before)) : undefined;
    const managedFields =
      w.explicitManagedFields ??
      recordUpdate({
        before: beforeJson ? inScope(beforeJson, w.subresource, rt.statusSubresource) : undefined,
        after: inScope(next, w.subresource, rt.statusSubresource),
        managedFields: prevMeta?.managedFields ?? [],
        manager: w.manager,
        subresource: w.subresource,
        apiVersion: apiVersionOf(rt),
        now: nowIso(),
      });
    meta.uid = prevMeta?.uid ?? randomUUID();
    meta.creationTimestamp = prevMeta?.creationTimestamp ?? nowIso();
    if (prevMeta?.deletionTimestamp) meta.deletionTimestamp = prevMeta.deletionTimestamp;
    if (rt.generation) {
      const prevGen = prevMeta?.generation ?? 0;
      meta.generation = !beforeJson ? 1 : deepEqual(specContent(beforeJson), specContent(next)) ? prevGen : prevGen + 1;
    }
    meta.resourceVersion = prevMeta?.resourceVersion ?? "";
    if (managedFields.length > 0) meta.managedFields = managedFields as unknown as JsonValue;
    else delete meta.managedFields;
    next.metadata = meta;
    const result = asKube(next);
    if (before && deepEqual(asJson(before), next)) return before;
    if (w.dryRun) return result;
    if (result.metadata.deletionTimestamp && (result.metadata.finalizers ?? []).length === 0) {
      return this.store.remove(typeKey(rt), result.metadata.namespace, result.metadata.name) ?? result;
    }
    return this.store.put(typeKey(rt), result);
  }
}
