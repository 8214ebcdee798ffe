/* eslint-disable @typescript-eslint/no-require-imports -- the serialized loader can only reach modules through require */
import type * as pulumi from "@pulumi/pulumi";
import type { DelegatedProvider } from "./compiled";

/**
 * A dynamic provider whose serialized form (`__provider` in every resource's state) holds nothing but
 * `moduleId`, a path inside the project such as `dynamic/clusterLink/mirrorTopicProvider`, and a dozen
 * lines that find the project's compiled code from the provider process's working directory (the project
 * folder, where Pulumi starts its plugins) and hand over to `dist/dynamic/compiled.js`. No absolute path of
 * the checkout that deployed, no ts-node, no client or credential: any checkout of the project, built with
 * `npm run build` (dev dependencies or not), can refresh, update and delete what another one deployed.
 *
 * The module must export `provider: pulumi.dynamic.ResourceProvider`; see dynamic/compiled.ts for the rest.
 */
export function delegatingProvider(moduleId: string): pulumi.dynamic.ResourceProvider {
  // Serialized as written (comments included) into every resource's state: keep it short; reasons in README.
  const load = (): DelegatedProvider => {
    const fs = require("fs") as typeof import("fs");
    const path = require("path") as typeof import("path");
    let root = process.cwd();
    while (!fs.existsSync(path.join(root, "Pulumi.yaml")) && path.dirname(root) !== root) root = path.dirname(root);
    const host = path.join(root, "dist", "dynamic", "compiled.js");
    if (!fs.existsSync(host))
      throw new Error(
        `cannot load the dynamic provider ${moduleId}: the compiled code is missing (${host} does not exist; the provider runs in ${process.cwd()}). Fix: run npm run build in the project folder (after npm ci, with or without --omit=dev), then run pulumi again`,
      );
    return (require(host) as typeof import("./compiled")).providerFor(moduleId);
  };
  return {
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}
