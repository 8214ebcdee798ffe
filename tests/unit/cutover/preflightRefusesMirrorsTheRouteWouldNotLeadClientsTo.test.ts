/**
 * The Gateway route keeps topic names, so after the switch the group's clients ask the destination for the
 * source's names. A mirror under any other name (a link prefix) is refused by the preflight, whatever the
 * stack config let through, before anything changes.
 */
import { renamedMirrorsBlocker } from "../../../dynamic/cutover/preflight";

describe("the preflight on mirror names", () => {
  it("refusesMirrorsNamedOtherThanTheTopicsTheGroupsClientsAskFor", () => {
    expect(
      renamedMirrorsBlocker("orders", { orders: "msk.orders", refunds: "refunds", "orders.dlq": "msk.orders.dlq" }),
    ).toBe(
      "group orders's route does not rename topics, but these mirrors have other names than their source topics: orders → msk.orders, orders.dlq → msk.orders.dlq; after the switch its clients would ask the destination for orders, orders.dlq, which would not exist there. Remove kafka-cutover:link.prefix (pulumi config rm --path 'kafka-cutover:link.prefix'; the link is replaced) and run pulumi up with cutover: false before cutting over",
    );
  });

  it("acceptsMirrorsNamedAsTheirSourceTopics", () => {
    expect(renamedMirrorsBlocker("orders", { orders: "orders", refunds: "refunds" })).toBeUndefined();
  });
});
