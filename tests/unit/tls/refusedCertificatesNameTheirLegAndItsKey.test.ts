import * as fs from "node:fs";
import * as https from "node:https";
import * as tls from "node:tls";
import type { AddressInfo } from "node:net";
import { ClusterLinkRestClient } from "../../../clients/clusterLinkRest";
import { KAFKA_LEGS, kafkaSsl, tlsFailure } from "../../../clients/tls";
import { connectAdmin } from "../../../dynamic/cutover/offsets";
import { ensureCertificateAuthority, ensureSignedCertificate } from "../../../local/tls";
import { testCa } from "./caBundles";

// One CA; a server certificate for 127.0.0.1/localhost and one that names only another host.
const ca = testCa();
const otherHost = ensureSignedCertificate(ensureCertificateAuthority(ca.dir, "ca", "test CA"), ca.dir, "elsewhere", {
  subject: "/CN=kafka.elsewhere.example",
  usage: "server",
  altNames: ["DNS:kafka.elsewhere.example"],
});
const servers: { close(): void }[] = [];

function listen(server: tls.Server | https.Server): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

/** A TLS listener that completes handshakes and then says nothing: enough to see whether a client trusts it. */
function tlsServer(cert: string, key: string): Promise<number> {
  return listen(tls.createServer({ cert, key }, (socket) => socket.on("error", () => undefined)));
}

function restServer(cert: string, key: string): Promise<number> {
  return listen(
    https.createServer({ cert, key }, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ link_name: "l", link_id: "id", cluster_id: "lkc-1", link_state: "ACTIVE" }));
    }),
  );
}

afterAll(() => servers.forEach((s) => s.close()));

const access = (port: number, caCertificates?: string) => ({
  bootstrap: `127.0.0.1:${port}`,
  securityProtocol: "SASL_SSL",
  mechanism: "SCRAM-SHA-512",
  username: "u",
  password: "p",
  ...(caCertificates ? { caCertificates } : {}),
});

describe("a certificate the leg does not trust is refused, naming the leg and the key that fixes it", () => {
  it("chooses TLS and its trust from the protocol and the bundle", () => {
    expect(kafkaSsl("SASL_PLAINTEXT", ca.caPem)).toBe(false);
    expect(kafkaSsl("SASL_SSL")).toBe(true);
    expect(kafkaSsl("SASL_SSL", ca.caPem)).toEqual({ ca: [ca.caPem] });
  });

  it("refuses a source whose CA is not trusted (the system store does not know the local CA)", async () => {
    const port = await tlsServer(ca.serverCert, ca.serverKey);
    await expect(connectAdmin(access(port), "t", KAFKA_LEGS.source)).rejects.toThrow(
      /^TLS to the source refused: its certificate is not signed by a CA this program trusts \(.+\); set kafka-cutover:source.caCertificates to the PEM bundle/,
    );
  });

  it("refuses a destination whose certificate names another host, even with its CA trusted", async () => {
    const port = await tlsServer(fs.readFileSync(otherHost.cert, "utf8"), fs.readFileSync(otherHost.key, "utf8"));
    await expect(connectAdmin(access(port, ca.caPem), "t", KAFKA_LEGS.destination)).rejects.toThrow(
      /^TLS to the destination refused: its certificate does not name the address connected to \(.*127\.0\.0\.1.*\); connect by a name the certificate lists \(kafka-cutover:destination.bootstrap\)/,
    );
  });

  it("refuses the REST endpoint under an untrusted CA or another host's name, and reaches it with its CA", async () => {
    const rest = (port: number, caCertificates?: string) =>
      new ClusterLinkRestClient({
        restEndpoint: `https://127.0.0.1:${port}`,
        clusterId: "lkc-1",
        apiKey: "k",
        apiSecret: "s",
        timeoutMs: 5_000,
        ...(caCertificates ? { caCertificates } : {}),
      });
    const good = await restServer(ca.serverCert, ca.serverKey);
    await expect(rest(good).getLink("l")).rejects.toThrow(
      /TLS to the destination's REST endpoint refused: its certificate is not signed by a CA this program trusts .*set kafka-cutover:destination.restCaCertificates/,
    );
    await expect(rest(good, ca.caPem).getLink("l")).resolves.toMatchObject({ link_state: "ACTIVE" });
    const wrongName = await restServer(fs.readFileSync(otherHost.cert, "utf8"), fs.readFileSync(otherHost.key, "utf8"));
    await expect(rest(wrongName, ca.caPem).getLink("l")).rejects.toThrow(
      /TLS to the destination's REST endpoint refused: its certificate does not name the address connected to .*kafka-cutover:destination.restEndpoint/,
    );
  });

  it("leaves any other failure as it is: only a refused certificate gets the TLS advice", () => {
    expect(tlsFailure(KAFKA_LEGS.source, new Error("connect ECONNREFUSED 127.0.0.1:9"))).toBeUndefined();
    expect(tlsFailure(KAFKA_LEGS.source, new Error("SASL SCRAM SHA512 authentication failed"))).toBeUndefined();
  });
});
