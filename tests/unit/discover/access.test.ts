/**
 * Where discovery's source access comes from: the stack file's source section (validated by the program's
 * rules) with the password decrypted by `pulumi config get`, or the command line with the password from the
 * environment; a password stored in plain text is refused without being repeated.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { StackConfigError } from "../../../config";
import { PASSWORD_ENV, resolveAccess } from "../../../tools/discover/access";

function stackFile(body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "discover-access-"));
  const file = path.join(dir, "Pulumi.prod.yaml");
  fs.writeFileSync(file, body);
  return file;
}

const SOURCE = `
  kafka-cutover:source:
    bootstrap: b-1.msk.example:9096,b-2.msk.example:9096
    securityProtocol: SASL_SSL
    auth:
      mechanism: SCRAM-SHA-512
      username: cutover-link
`;

describe("discovery's source access", () => {
  it("reads the stack's source section and gets the secret password through pulumi config get", () => {
    const file = stackFile(
      `config:${SOURCE}  kafka-cutover:sourcePassword:\n    secure: v1:abc\n  kafka-cutover:groups:\n    - name: orders\n      topics: [orders]\n      consumerGroups: [orders-svc]\n`,
    );
    const calls: string[][] = [];
    const resolved = resolveAccess({ configFile: file }, {}, (key, stack, f) => {
      calls.push([key, stack, f]);
      return "decrypted-password";
    });
    expect(calls).toEqual([["kafka-cutover:sourcePassword", "prod", file]]);
    expect(resolved.access).toEqual({
      bootstrap: "b-1.msk.example:9096,b-2.msk.example:9096",
      securityProtocol: "SASL_SSL",
      mechanism: "SCRAM-SHA-512",
      username: "cutover-link",
      password: "decrypted-password",
    });
    expect(resolved.configuredGroups).toEqual([{ name: "orders", topics: ["orders"], consumerGroups: ["orders-svc"] }]);
  });

  it("refuses a password stored in plain text in the stack file, without repeating it", () => {
    const file = stackFile(`config:${SOURCE}  kafka-cutover:sourcePassword: plain-text-password\n`);
    let error: unknown;
    try {
      resolveAccess({ configFile: file }, {}, () => "unused");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StackConfigError);
    expect((error as Error).message).toMatch(/kafka-cutover:sourcePassword: is stored in plain text/);
    expect((error as Error).message).not.toContain("plain-text-password");
  });

  it("takes the command line's settings over the stack's, and the password only from the environment", () => {
    const file = stackFile(
      `config:\n  kafka-cutover:source:\n    mskClusterName: prod-msk\n    auth:\n      mechanism: SCRAM-SHA-512\n      username: cutover-link\n`,
    );
    expect(() => resolveAccess({ configFile: file }, { [PASSWORD_ENV]: "pw" })).toThrow(/discovery does not call AWS/);
    const resolved = resolveAccess(
      { configFile: file, bootstrap: "127.0.0.1:9092", securityProtocol: "SASL_PLAINTEXT", username: "admin" },
      { [PASSWORD_ENV]: "pw" },
      () => {
        throw new Error("pulumi must not be called when the environment has the password");
      },
    );
    expect(resolved.access).toMatchObject({ bootstrap: "127.0.0.1:9092", username: "admin", password: "pw" });
    expect(() => resolveAccess({ bootstrap: "127.0.0.1:9092", username: "admin", mechanism: "PLAIN" }, {})).toThrow(
      new RegExp(`no source password: set ${PASSWORD_ENV}`),
    );
  });
});
