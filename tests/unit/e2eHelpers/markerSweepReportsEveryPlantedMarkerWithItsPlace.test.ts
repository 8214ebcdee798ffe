/**
 * The secret sweep of the e2e test must fail on a gap: a marker planted in a fake output tree (plain, in
 * base64 at every alignment, inside `base64(key:secret)`, in hex, in a binary file, in a Kubernetes object)
 * is reported with its file and line; only a Secret's data is allowed to hold it, and excluded paths are
 * skipped.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  describeFindings,
  needlesOf,
  newMarker,
  searchKubeObjects,
  searchText,
  searchTree,
} from "../../e2e/helpers/markerSweep";

const marker = newMarker("sourcePassword");
const other = newMarker("apiSecret");

function tree(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "marker-sweep-"));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

it("finds nothing where no marker is", () => {
  const root = tree({ "a.log": "pulumi up\nok\n", "state/stack.json": JSON.stringify({ secret: "v1:abcd" }) });
  expect(searchTree(root, [marker, other])).toEqual([]);
});

it("reports a plain marker with its file and line, whatever its case", () => {
  const root = tree({
    "backend/.pulumi/stacks/local.json": `{\n  "outputs": {\n    "password": "${marker.value}"\n  }\n}\n`,
    "logs/engine.INFO": `line one\nerror: sign-in failed for ${marker.value.toUpperCase()}\n`,
  });
  const found = searchTree(root, [marker, other]);
  expect(found.map((f) => [f.marker, f.encoding, path.relative(root, f.where)]).sort()).toEqual([
    ["sourcePassword", "plain", "backend/.pulumi/stacks/local.json:3"],
    ["sourcePassword", "plain", "logs/engine.INFO:2"],
  ]);
  expect(found[0].excerpt).toContain("<sourcePassword>");
  expect(describeFindings(found)).toContain("sourcePassword (plain) at ");
});

it.each([0, 1, 2, 3, 4, 5])("reports a marker base64-encoded after %i other bytes, and in base64url", (prefix) => {
  const encoded = Buffer.from(`${"k".repeat(prefix)}${marker.value}:tail`).toString("base64");
  const root = tree({ "requests.log": `{"auth":"Basic ${encoded}"}\n` });
  expect(searchTree(root, [marker]).map((f) => [f.encoding, path.relative(root, f.where)])).toEqual([
    ["base64", "requests.log:1"],
  ]);
  const url = encoded.replace(/\+/g, "-").replace(/\//g, "_");
  expect(searchText(url, "url", [marker]).length).toBe(1);
});

it("reports `Authorization: Basic base64(key:secret)` as the secret's leak", () => {
  const header = `Authorization: Basic ${Buffer.from(`ABCDEFGHIJKLMNOP:${other.value}`).toString("base64")}`;
  expect(searchText(`GET /kafka/v3\n${header}\n`, "stderr of up", [other])).toMatchObject([
    { marker: "apiSecret", encoding: "base64", where: "stderr of up:2" },
  ]);
});

it("reports a marker in hex and inside a binary file", () => {
  const root = tree({
    "dump.txt": `bytes: ${Buffer.from(marker.value).toString("hex").toUpperCase()}\n`,
    "segment.log": Buffer.concat([Buffer.from([0, 1, 2, 255]), Buffer.from(marker.value), Buffer.from([0])]),
  });
  expect(
    searchTree(root, [marker])
      .map((f) => [f.encoding, path.relative(root, f.where)])
      .sort(),
  ).toEqual([
    ["hex", "dump.txt:1"],
    ["plain", "segment.log:1"],
  ]);
});

it("reads a file larger than its chunk in pieces, and finds a marker across a boundary once, at its byte", () => {
  const size = 16 * 1024 * 1024 + 4096;
  const big = Buffer.alloc(size);
  const straddling = 16 * 1024 * 1024 - 7;
  big.write(marker.value, 100, "latin1");
  big.write(marker.value, straddling, "latin1");
  const root = tree({ "kafka/source/data/t-0/00000000000000000000.log": big });
  const found = searchTree(root, [marker]).filter((f) => f.encoding === "plain");
  expect(found.map((f) => f.where.slice(f.where.lastIndexOf("@") + 1))).toEqual(["100", String(straddling)]);
});

it("skips excluded paths, and only those", () => {
  const root = tree({
    "kafka/destination/api-keys/KEY1": other.value,
    "kafka/destination/server.log": `nothing`,
    "kubernetes/requests.log": `{"token":"${other.value}"}`,
  });
  const found = searchTree(root, [other], { exclude: { "kafka/destination/api-keys": "the key store" } });
  expect(found.map((f) => path.relative(root, f.where))).toEqual(["kubernetes/requests.log:1"]);
});

it("skips the lines skipLine names, and keeps every other line's number", () => {
  const root = tree({
    "logs/engine.INFO": `a\nRegisterResource RPC finished: ${marker.value}\nb\nleak ${marker.value}\n`,
  });
  const found = searchTree(root, [marker], {
    skipLine: (rel, line) => (rel.startsWith("logs/") && line.startsWith("RegisterResource") ? "SDK trace" : undefined),
  });
  expect(found.map((f) => path.relative(root, f.where))).toEqual(["logs/engine.INFO:4"]);
});

it("allows a marker in a Secret's data, never in its metadata nor in any other object", () => {
  const b64 = Buffer.from(`key/${marker.value}`).toString("base64");
  const objects = [
    { apiVersion: "v1", kind: "Secret", metadata: { name: "swap", namespace: "confluent" }, data: { app: b64 } },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "jaas", namespace: "confluent" },
      stringData: { x: marker.value },
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "leaky", namespace: "confluent", annotations: { "last-applied": `{"data":{"app":"${b64}"}}` } },
      data: { app: b64 },
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kafka-cutover-g", namespace: "confluent" },
      data: { b64 },
    },
    {
      apiVersion: "platform.confluent.io/v1beta1",
      kind: "Gateway",
      metadata: { name: "gw" },
      status: { m: marker.value },
    },
  ];
  expect(searchKubeObjects(objects, [marker]).map((f) => [f.encoding, f.where.replace(/:\d+$/, "")])).toEqual([
    ["base64", "kubernetes Secret confluent/leaky"],
    ["base64", "kubernetes ConfigMap confluent/kafka-cutover-g"],
    ["plain", "kubernetes Gateway gw"],
  ]);
});

it("cuts base64 needles to what only the marker's bytes decide", () => {
  for (const n of needlesOf(marker.value).filter((x) => x.encoding === "base64")) {
    expect(n.text.length).toBeGreaterThanOrEqual(Math.floor((marker.value.length * 4) / 3) - 4);
  }
});
