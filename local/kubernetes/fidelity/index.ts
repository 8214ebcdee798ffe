// The throwaway program of the fidelity check (run.sh): a Secret and a Gateway CR through a provider
// pointed at the emulator. Config `target` flips the route between the two streaming domains.
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

const cfg = new pulumi.Config();
const provider = new k8s.Provider("emulator", {
  kubeconfig: fs.readFileSync(process.env.KUBECONFIG_FILE ?? "kubeconfig", "utf8"),
  namespace: "default",
});
const secret = new k8s.core.v1.Secret(
  "creds",
  {
    metadata: { name: "gateway-creds", namespace: "default" },
    stringData: { username: "u", password: cfg.get("password") ?? "p1" },
  },
  { provider },
);
const target = cfg.get("target") ?? "source";
export const gw = new k8s.apiextensions.CustomResource(
  "gateway",
  {
    apiVersion: "platform.confluent.io/v1beta1",
    kind: "Gateway",
    metadata: { name: "migration-gateway", namespace: "default" },
    spec: {
      streamingDomains: [
        {
          name: "source",
          type: "kafka",
          kafkaCluster: { bootstrapServers: [{ id: "SCRAM", endpoint: "SASL_PLAINTEXT://127.0.0.1:9092" }] },
        },
        {
          name: "destination",
          type: "kafka",
          kafkaCluster: { bootstrapServers: [{ id: "PLAIN", endpoint: "SASL_PLAINTEXT://127.0.0.1:9093" }] },
        },
      ],
      routes: [
        {
          name: "orders",
          endpoint: "127.0.0.1:9595",
          streamingDomain: { name: target, bootstrapServerId: target === "source" ? "SCRAM" : "PLAIN" },
          security: { auth: "passthrough" },
        },
      ],
    },
  },
  { provider, dependsOn: [secret] },
).metadata.apply((m) => ({ generation: m.generation, resourceVersion: m.resourceVersion }));
export const secretName = secret.metadata.name;
