// The resource types the emulator serves, and the discovery documents derived from them. Adding a type
// here is enough for discovery, the HTTP routes and the store to serve it.
import type { JsonObject } from "./types";

export interface ResourceType {
  group: string; // "" for the core group
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  /** has a /status subresource: main-resource writes ignore status, /status writes change only status */
  statusSubresource: boolean;
  /** maintains metadata.generation (custom resources do; Secrets and Namespaces do not) */
  generation: boolean;
  /** PUT without metadata.resourceVersion is allowed (built-in types) or rejected (custom resources) */
  unconditionalUpdate: boolean;
  /** served only through create (reviews): not stored, no get/list/watch */
  virtual?: boolean;
}

const CRUD = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export const GATEWAY_GROUP = "platform.confluent.io";
export const GATEWAY_VERSION = "v1beta1";

export const RESOURCE_TYPES: ResourceType[] = [
  {
    group: "",
    version: "v1",
    plural: "namespaces",
    singular: "namespace",
    kind: "Namespace",
    namespaced: false,
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    shortNames: ["ns"],
    statusSubresource: true,
    generation: false,
    unconditionalUpdate: true,
  },
  {
    group: "",
    version: "v1",
    plural: "secrets",
    singular: "secret",
    kind: "Secret",
    namespaced: true,
    verbs: CRUD,
    statusSubresource: false,
    generation: false,
    unconditionalUpdate: true,
  },
  {
    group: "",
    version: "v1",
    plural: "configmaps",
    singular: "configmap",
    kind: "ConfigMap",
    namespaced: true,
    verbs: CRUD,
    shortNames: ["cm"],
    statusSubresource: false,
    generation: false,
    unconditionalUpdate: true,
  },
  {
    group: "",
    version: "v1",
    plural: "pods",
    singular: "pod",
    kind: "Pod",
    namespaced: true,
    verbs: CRUD,
    shortNames: ["po"],
    statusSubresource: true,
    generation: false,
    unconditionalUpdate: true,
  },
  {
    group: "apps",
    version: "v1",
    plural: "deployments",
    singular: "deployment",
    kind: "Deployment",
    namespaced: true,
    verbs: CRUD,
    shortNames: ["deploy"],
    statusSubresource: true,
    generation: true,
    unconditionalUpdate: true,
  },
  {
    group: GATEWAY_GROUP,
    version: GATEWAY_VERSION,
    plural: "gateways",
    singular: "gateway",
    kind: "Gateway",
    namespaced: true,
    verbs: CRUD,
    statusSubresource: true,
    generation: true,
    unconditionalUpdate: false,
  },
  {
    group: "apiextensions.k8s.io",
    version: "v1",
    plural: "customresourcedefinitions",
    singular: "customresourcedefinition",
    kind: "CustomResourceDefinition",
    namespaced: false,
    verbs: CRUD,
    shortNames: ["crd", "crds"],
    statusSubresource: true,
    generation: true,
    unconditionalUpdate: true,
  },
  {
    group: "authorization.k8s.io",
    version: "v1",
    plural: "selfsubjectaccessreviews",
    singular: "selfsubjectaccessreview",
    kind: "SelfSubjectAccessReview",
    namespaced: false,
    verbs: ["create"],
    statusSubresource: false,
    generation: false,
    unconditionalUpdate: true,
    virtual: true,
  },
];

export function apiVersionOf(rt: ResourceType): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

export function typeKey(rt: ResourceType): string {
  return `${rt.group}/${rt.version}/${rt.plural}`;
}

export function findType(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.plural === plural);
}

export function findTypeByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
}

function groups(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of RESOURCE_TYPES) {
    if (!t.group) continue;
    const versions = out.get(t.group) ?? [];
    if (!versions.includes(t.version)) versions.push(t.version);
    out.set(t.group, versions);
  }
  return out;
}

export const SERVER_VERSION: JsonObject = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-kafka-cutover-emulator",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2025-01-01T00:00:00Z",
  goVersion: "go1.23.0",
  compiler: "gc",
  platform: "linux/amd64",
};

export function apiVersionsDoc(serverAddress: string): JsonObject {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

export function apiGroupListDoc(): JsonObject {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [...groups()].map(([name, versions]) => groupDoc(name, versions)),
  };
}

function groupDoc(name: string, versions: string[]): JsonObject {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupDoc(group: string): JsonObject | undefined {
  const versions = groups().get(group);
  return versions ? { kind: "APIGroup", apiVersion: "v1", ...groupDoc(group, versions) } : undefined;
}

export function apiResourceListDoc(group: string, version: string): JsonObject | undefined {
  const types = RESOURCE_TYPES.filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  const resources: JsonObject[] = [];
  for (const t of types) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      ...(t.group === GATEWAY_GROUP ? { categories: ["all", "confluent-platform"] } : {}),
      ...(t.virtual
        ? {}
        : { storageVersionHash: Buffer.from(`${t.group}/${t.version}/${t.kind}`).toString("base64").slice(0, 11) }),
    });
    if (t.statusSubresource) {
      resources.push({
        name: `${t.plural}/status`,
        singularName: "",
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ["get", "patch", "update"],
      });
    }
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

/** The CRD a real cluster with CFK installed would have for the Gateway kind (schema kept permissive). */
export function gatewayCrd(): JsonObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `gateways.${GATEWAY_GROUP}` },
    spec: {
      group: GATEWAY_GROUP,
      names: {
        plural: "gateways",
        singular: "gateway",
        kind: "Gateway",
        listKind: "GatewayList",
        categories: ["all", "confluent-platform"],
      },
      scope: "Namespaced",
      versions: [
        {
          name: GATEWAY_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
        },
      ],
    },
    status: {
      acceptedNames: { plural: "gateways", singular: "gateway", kind: "Gateway", listKind: "GatewayList" },
      storedVersions: [GATEWAY_VERSION],
      conditions: [
        {
          type: "Established",
          status: "True",
          reason: "InitialNamesAccepted",
          message: "the initial names have been accepted",
        },
        { type: "NamesAccepted", status: "True", reason: "NoConflicts", message: "no conflicts found" },
      ],
    },
  };
}
