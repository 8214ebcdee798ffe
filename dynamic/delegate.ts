import * as pulumi from "@pulumi/pulumi";

/**
 * A dynamic provider that Pulumi can serialize cheaply and safely: it captures only the absolute path of
 * the module that implements it, and loads that module (TypeScript, through ts-node) inside the provider
 * process on first use. So no client, credential or heavy object is ever captured into `__provider` in
 * the state, and the implementation can import whatever it needs like any other module.
 *
 * The module must export `provider: pulumi.dynamic.ResourceProvider`.
 */
export function delegatingProvider(modulePath: string): pulumi.dynamic.ResourceProvider {
  const load = (): pulumi.dynamic.ResourceProvider => {
    // ts-node's register() is not idempotent: each call builds a compiler and wraps the .ts loader again
    // (a 100-topic stack made hundreds and ran out of heap). Register once per process, unless one is there.
    if ((process as unknown as Record<symbol, unknown>)[Symbol.for("ts-node.register.instance")] === undefined)
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require("ts-node").register({ transpileOnly: true });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(modulePath) as { provider: pulumi.dynamic.ResourceProvider }).provider;
  };
  return {
    check: (olds, news) => {
      const p = load();
      return p.check ? p.check(olds, news) : Promise.resolve({ inputs: news });
    },
    diff: (id, olds, news) => {
      const p = load();
      return p.diff ? p.diff(id, olds, news) : Promise.resolve({});
    },
    create: (inputs) => load().create(inputs),
    read: (id, props) => {
      const p = load();
      return p.read ? p.read(id, props) : Promise.resolve({ id, props });
    },
    update: (id, olds, news) => {
      const p = load();
      return p.update ? p.update(id, olds, news) : Promise.resolve({ outs: news });
    },
    delete: (id, props) => {
      const p = load();
      return p.delete ? p.delete(id, props) : Promise.resolve();
    },
  };
}
