// Who may do what. The emulator has one user (the kubeconfig's token); the policy decides, per request
// attributes, whether it is allowed. It answers SelfSubjectAccessReview and is enforced on every request
// (403 Forbidden), so a denied verb fails the same way in a review and in the real call.
//
// A deny rule is `verb:resource` where resource is `plural`, `plural.group` or `plural/subresource`
// (`*` matches any verb or resource), e.g. `patch:gateways.platform.confluent.io`, `get:secrets`.
// Env: KAFKA_CUTOVER_K8S_DENY="patch:gateways,get:secrets".

export interface AccessAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export type AccessPolicy = (a: AccessAttributes) => boolean;

export const allowAll: AccessPolicy = () => true;

export function denyRules(rules: string[]): AccessPolicy {
  const parsed = rules
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => {
      const i = r.indexOf(":");
      if (i <= 0) throw new Error(`bad access rule ${JSON.stringify(r)}: expected verb:resource`);
      return { verb: r.slice(0, i), resource: r.slice(i + 1) };
    });
  return (a) =>
    !parsed.some((rule) => {
      if (rule.verb !== "*" && rule.verb !== a.verb) return false;
      if (rule.resource === "*") return true;
      const [res, sub] = rule.resource.split("/");
      const dot = res.indexOf(".");
      const plural = dot < 0 ? res : res.slice(0, dot);
      const group = dot < 0 ? undefined : res.slice(dot + 1);
      return (
        plural === a.resource &&
        (group === undefined || group === a.group) &&
        (sub === undefined || sub === (a.subresource ?? ""))
      );
    });
}

export function policyFromEnv(env: NodeJS.ProcessEnv = process.env): AccessPolicy {
  const deny = env.KAFKA_CUTOVER_K8S_DENY;
  return deny ? denyRules(deny.split(",")) : allowAll;
}
