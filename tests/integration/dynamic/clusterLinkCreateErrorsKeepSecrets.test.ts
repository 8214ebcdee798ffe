/**
 * A link the destination cannot validate is refused with the API's reason and nothing is left behind;
 * neither the source password nor the API secret appears in the error.
 */
import { provider as linkProvider } from "../../../dynamic/clusterLink/linkProvider";
import { uniqueName } from "../helpers";
import { cleanUp, linkInputs, rest, sharedEndpoints } from "./env";

describe("cluster link create errors", () => {
  const e = sharedEndpoints();
  const linkName = uniqueName("dyn-bad-link");
  afterAll(() => cleanUp(e, linkName));

  it("reports a wrong source password without repeating it, and creates nothing", async () => {
    const wrong = "s3cr3t-wrong-password";
    const error = await linkProvider.create(linkInputs(e, linkName, { password: wrong })).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error?.message).toContain(`creating cluster link ${linkName} on ${e.destination.clusterId}`);
    expect(error?.message).toMatch(/HTTP 400/);
    for (const secret of [wrong, e.destination.apiSecret, e.source.users["cutover-link"]])
      expect(error?.message).not.toContain(secret);
    expect(await rest(e).findLink(linkName)).toBeUndefined();
  });

  it("refuses a source cluster id that is not the source's", async () => {
    const error = await linkProvider.create(linkInputs(e, linkName, { sourceClusterId: "not-the-source" })).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error?.message).toContain("source_cluster_id 'not-the-source' does not match");
    expect(await rest(e).findLink(linkName)).toBeUndefined();
  });
});
