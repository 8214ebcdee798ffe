import type { GatewaySpec } from "./types";

/** The names of every Secret a Gateway spec points at (secret stores, TLS and JAAS refs): what its reconcile depends on. */
export function referencedSecrets(spec: GatewaySpec | undefined): Set<string> {
  const names = new Set<string>();
  const add = (name: string | undefined): void => {
    if (name) names.add(name);
  };
  for (const store of spec?.secretStores ?? []) {
    add(store.provider?.clientCredentialsRef);
    add(store.provider?.configSecretRef);
  }
  for (const domain of spec?.streamingDomains ?? []) {
    for (const server of domain.kafkaCluster?.bootstrapServers ?? []) add(server.tls?.secretRef);
  }
  for (const route of spec?.routes ?? []) {
    add(route.security?.client?.tls?.secretRef);
    add(route.security?.cluster?.authentication?.jaasConfigPassThrough?.secretRef);
  }
  return names;
}
