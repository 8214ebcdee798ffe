export { DestinationAcls } from "./resource";
export type { DestinationAclsArgs } from "./resource";
export { PRINCIPAL, describeBinding, type AclBinding } from "./bindings";
export { carryOverAcls, type CarriedAcls, type CarryOverScope } from "./carryOver";
