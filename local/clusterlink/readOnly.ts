// Mirror topics are read-only until promoted. Enforced on the destination broker itself, so every
// client is stopped, not only those going through this emulator: DENY WRITE for User:* on the topic.
// The emulator writes as the destination's admin API key, a super user, which ACLs never deny.
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type Admin } from "kafkajs";

function denyWrite(topic: string) {
  return {
    resourceType: AclResourceTypes.TOPIC,
    resourceName: topic,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: "User:*",
    host: "*",
    operation: AclOperationTypes.WRITE,
    permissionType: AclPermissionTypes.DENY,
  };
}

export async function makeReadOnly(admin: Admin, topic: string): Promise<void> {
  await admin.createAcls({ acl: [denyWrite(topic)] });
}

export async function makeWritable(admin: Admin, topic: string): Promise<void> {
  await admin.deleteAcls({ filters: [denyWrite(topic)] });
}
