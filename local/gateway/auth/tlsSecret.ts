import { createSecureContext } from "node:tls";
import { secretValues, type SecretObject } from "./secretStore";

/**
 * The PEM keys of a Confluent for Kubernetes TLS Secret (`tls.secretRef`), as CFK's examples create them:
 * the certificate chain, its private key, and the CAs trusted for peers (here: client certificates).
 */
export const TLS_SECRET_KEYS = { chain: "fullchain.pem", key: "privkey.pem", ca: "cacerts.pem" } as const;

export interface TlsSecretMaterial {
  cert: string;
  key: string;
  ca: string;
}

/**
 * Reads a TLS Secret and checks that Node's TLS accepts it (the key matches the chain, PEM parses). Throws an
 * Error whose message names what is missing or wrong; a JKS Secret (keystore.jks/truststore.jks, CFK's other
 * form) is refused by name, since the emulator reads only the PEM form.
 */
export function readTlsSecret(secret: SecretObject): TlsSecretMaterial {
  const values = secretValues(secret);
  const missing = Object.values(TLS_SECRET_KEYS).filter((k) => !values[k]);
  if (missing.length > 0) {
    const jks = "keystore.jks" in values || "truststore.jks" in values;
    throw new Error(
      `has no ${missing.join(", ")}` + (jks ? " (JKS keystores are not read by the emulator; use the PEM keys)" : ""),
    );
  }
  const material = {
    cert: values[TLS_SECRET_KEYS.chain],
    key: values[TLS_SECRET_KEYS.key],
    ca: values[TLS_SECRET_KEYS.ca],
  };
  try {
    createSecureContext(material);
  } catch (err) {
    throw new Error(`is not usable TLS material: ${(err as Error).message}`);
  }
  return material;
}
