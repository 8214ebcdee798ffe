/** The local environment the e2e tests run against: its endpoints file and the destination's REST API. */
import * as fs from "fs";
import { ClusterLinkRestClient } from "../../../clients/clusterLinkRest";
import type { LocalEndpoints } from "../../../local/stack";

/** The path of endpoints.json (`npm test` and `npm run local:up` write it); fails with what to run if unset. */
export function endpointsPathOrFail(): string {
  const p = process.env.KAFKA_CUTOVER_ENDPOINTS;
  if (!p)
    throw new Error(
      "KAFKA_CUTOVER_ENDPOINTS is not set: run through npm test, or start the environment with npm run local:up",
    );
  return p;
}

/** endpoints.json, read as the type the caller needs (the local stack's view, or the Kafka pair's). */
export function readEndpoints<T = LocalEndpoints>(): T {
  return JSON.parse(fs.readFileSync(endpointsPathOrFail(), "utf8")) as T;
}

/** The Cluster Linking REST API of the local destination, with its admin key. */
export function destinationRest(endpoints: LocalEndpoints): ClusterLinkRestClient {
  const d = endpoints.destination;
  if (!d.restEndpoint || !d.clusterId)
    throw new Error("endpoints.json has no destination.restEndpoint: restart the environment with npm run local:up");
  return new ClusterLinkRestClient({
    restEndpoint: d.restEndpoint,
    clusterId: d.clusterId,
    apiKey: d.apiKey,
    apiSecret: d.apiSecret,
  });
}
