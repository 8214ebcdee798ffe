/**
 * The principals a real migration would already have: on the source, the SCRAM user the cluster link
 * reads as (`cutover-link`, as Pulumi.local.yaml names it), with the read-only ACLs MSK operators grant
 * a link. Created once per environment; its password goes to endpoints.json as `source.users`.
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, ResourcePatternTypes } from "kafkajs";
import { createScramUser, endpointsFile, kafkajsConfig, mergeEndpoints, readEndpoints } from "./kafka";
import type { KafkaPairEndpoints } from "./kafka";

export const LINK_USER = "cutover-link";

interface EndpointsWithUsers { source?: { users?: Record<string, string> } }

/** Creates the link's SCRAM user and ACLs unless endpoints.json already records them. */
export async function ensureLinkPrincipal(stateDir: string, pair: KafkaPairEndpoints): Promise<{ created: boolean }> {
    const file = endpointsFile(stateDir);
    const known = (readEndpoints(file) as EndpointsWithUsers).source?.users?.[LINK_USER];
    if (known) return { created: false };
    const { password } = await createScramUser(LINK_USER, undefined, { stateDir });
    const admin = new Kafka(kafkajsConfig(pair.source, pair.source.admin)).admin();
    await admin.connect();
    try {
        const principal = `User:${LINK_USER}`;
        const allow = (resourceType: AclResourceTypes, resourceName: string, operation: AclOperationTypes) => ({
            resourceType, resourceName, resourcePatternType: ResourcePatternTypes.LITERAL,
            principal, host: "*", operation, permissionType: AclPermissionTypes.ALLOW,
        });
        const { TOPIC, GROUP, CLUSTER } = AclResourceTypes;
        const { READ, DESCRIBE, DESCRIBE_CONFIGS } = AclOperationTypes;
        await admin.createAcls({
            acl: [
                allow(TOPIC, "*", READ), allow(TOPIC, "*", DESCRIBE), allow(TOPIC, "*", DESCRIBE_CONFIGS),
                allow(GROUP, "*", READ), allow(GROUP, "*", DESCRIBE),
                allow(CLUSTER, "kafka-cluster", DESCRIBE),
            ],
        });
    } finally {
        await admin.disconnect();
    }
    mergeEndpoints(file, { source: { users: { [LINK_USER]: password } } });
    return { created: true };
}
