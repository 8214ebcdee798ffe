/**
 * Pulumi mocks that answer like Confluent Cloud and AWS would: each resource type returns the outputs its
 * real provider computes (ids, endpoints, DNS entries), each invoke a realistic lookup result. Everything
 * the program asks for is recorded, in order, so tests assert the inputs our components gave.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Declared {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}
export interface Invoked {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}
export type Event =
  | { readonly kind: "resource"; readonly type: string; readonly name: string }
  | { readonly kind: "invoke"; readonly token: string };

/** Values the mocks hand out as API secrets and passwords: none may reach an input unless marked secret. */
export const SECRET_MARKER = "s3cr3t-";

const ZONES = [
  { subnet: "subnet-0a1b2c3d4e5f60001", name: "us-east-1a", id: "use1-az1" },
  { subnet: "subnet-0a1b2c3d4e5f60002", name: "us-east-1b", id: "use1-az2" },
  { subnet: "subnet-0a1b2c3d4e5f60003", name: "us-east-1c", id: "use1-az4" },
];
export const SUBNETS = ZONES.map((z) => z.subnet);
export const DNS_DOMAIN = "dom4x2.us-east-1.aws.confluent.cloud";
export const CONFLUENT_ACCOUNT = "111122223333";
export const CONFLUENT_VPC = "vpc-0c0f1e2d3c4b5a697";
export const CALLER_ACCOUNT = "444455556666";
export const VPC_CIDRS = ["10.0.0.0/16", "10.1.0.0/16"];
const VPCE = "vpce-0abc123def4567890-k2j4h6";
const VPCE_SERVICE = "com.amazonaws.vpce.us-east-1.vpce-svc-0f1e2d3c4b5a69788";

function resourceState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): { id: string; state: Record<string, unknown> } {
  switch (type) {
    case "confluentcloud:index/environment:Environment":
      return { id: "env-7qm3", state: inputs };
    case "confluentcloud:index/network:Network":
      return {
        id: "n-8xk2",
        state: {
          ...inputs,
          dnsDomain: DNS_DOMAIN,
          zonalSubdomains: Object.fromEntries(ZONES.map((z) => [z.id, `${z.id}.${DNS_DOMAIN}`])),
          aws: [{ account: CONFLUENT_ACCOUNT, vpc: CONFLUENT_VPC, privateLinkEndpointService: VPCE_SERVICE }],
        },
      };
    case "confluentcloud:index/kafkaCluster:KafkaCluster":
      return {
        id: "lkc-9wz1",
        state: {
          ...inputs,
          apiVersion: "cmk/v2",
          kind: "Cluster",
          bootstrapEndpoint: `SASL_SSL://lkc-9wz1.${DNS_DOMAIN}:9092`,
          restEndpoint: `https://lkc-9wz1.${DNS_DOMAIN}:443`,
          rbacCrn: "crn://confluent.cloud/organization=2f1e/environment=env-7qm3/cloud-cluster=lkc-9wz1",
        },
      };
    case "confluentcloud:index/serviceAccount:ServiceAccount":
      return { id: `sa-${name}`, state: { ...inputs, apiVersion: "iam/v2", kind: "ServiceAccount" } };
    // Returned in plain text on purpose: the component must keep it secret even if the engine did not.
    case "confluentcloud:index/apiKey:ApiKey":
      return { id: `KEY-${name}`, state: { ...inputs, secret: `${SECRET_MARKER}${name}` } };
    case "confluentcloud:index/transitGatewayAttachment:TransitGatewayAttachment":
      return {
        id: "tgwa-1",
        state: {
          ...inputs,
          aws: { ...(inputs.aws as object), transitGatewayAttachmentId: "tgw-attach-0a1b2c3d4e5f60718" },
        },
      };
    case "aws:ec2/securityGroup:SecurityGroup":
      return { id: "sg-0a1b2c3d4e5f60718", state: inputs };
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      return {
        id: "vpce-0abc123def4567890",
        state: {
          ...inputs,
          dnsEntries: [
            {
              dnsName: `${VPCE}.${VPCE_SERVICE.split(".").pop()}.us-east-1.vpce.amazonaws.com`,
              hostedZoneId: "Z7HUB22UULQXV",
            },
            ...ZONES.map((z) => ({
              dnsName: `${VPCE}-${z.name}.${VPCE_SERVICE.split(".").pop()}.us-east-1.vpce.amazonaws.com`,
              hostedZoneId: "Z7HUB22UULQXV",
            })),
          ],
        },
      };
    case "aws:route53/zone:Zone":
      return { id: "Z0123456789ABCDEFGHIJ", state: { ...inputs, zoneId: "Z0123456789ABCDEFGHIJ" } };
    case "aws:ram/resourceShare:ResourceShare":
      return { id: "share", state: { ...inputs, arn: "arn:aws:ram:us-east-1:444455556666:resource-share/5e6f" } };
    case "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter":
      return { id: String(inputs.vpcPeeringConnectionId), state: inputs };
    default:
      return { id: `${name}-id`, state: inputs };
  }
}

function invokeResult(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (token) {
    case "aws:ec2/getVpc:getVpc":
      return {
        id: inputs.id,
        cidrBlock: VPC_CIDRS[0],
        cidrBlockAssociations: [
          ...VPC_CIDRS.map((c, i) => ({ associationId: `vpc-cidr-assoc-${i}`, cidrBlock: c, state: "associated" })),
          { associationId: "vpc-cidr-assoc-old", cidrBlock: "10.9.0.0/16", state: "disassociated" },
        ],
      };
    case "aws:ec2/getSubnet:getSubnet": {
      const z = ZONES.find((zone) => zone.subnet === inputs.id);
      if (!z) throw new Error(`no such subnet ${String(inputs.id)}`);
      return { id: z.subnet, availabilityZone: z.name, availabilityZoneId: z.id, vpcId: "vpc-0a1b2c3d4e5f60718" };
    }
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: CALLER_ACCOUNT,
        arn: `arn:aws:iam::${CALLER_ACCOUNT}:user/ops`,
        id: CALLER_ACCOUNT,
        userId: "AIDAEXAMPLE",
      };
    case "aws:ec2/getVpcPeeringConnection:getVpcPeeringConnection":
      return {
        id: "pcx-0a1b2c3d4e5f60718",
        vpcId: inputs.vpcId,
        peerVpcId: inputs.peerVpcId,
        status: "pending-acceptance",
      };
    case "aws:ec2transitgateway/getTransitGateway:getTransitGateway":
      return { id: inputs.id, arn: `arn:aws:ec2:us-east-1:${CALLER_ACCOUNT}:transit-gateway/${String(inputs.id)}` };
    case "aws:msk/getCluster:getCluster":
      return {
        arn: "arn:aws:kafka:us-east-1:444455556666:cluster/orders-prod/6f1e-2",
        clusterName: inputs.clusterName,
        bootstrapBrokersSaslScram:
          "b-2.ordersprod.x1y2z3.c4.kafka.us-east-1.amazonaws.com:9096,b-1.ordersprod.x1y2z3.c4.kafka.us-east-1.amazonaws.com:9096,b-3.ordersprod.x1y2z3.c4.kafka.us-east-1.amazonaws.com:9096",
        bootstrapBrokersPublicSaslScram:
          "b-1-public.ordersprod.x1y2z3.c4.kafka.us-east-1.amazonaws.com:9196,b-2-public.ordersprod.x1y2z3.c4.kafka.us-east-1.amazonaws.com:9196,b-3-public.ordersprod.x1y2z3.c4.kafka.us-east-1.amazonaws.com:9196",
      };
    case "aws:msk/getBrokerNodes:getBrokerNodes":
      return {
        clusterArn: inputs.clusterArn,
        nodeInfoLists: [3, 1, 2].map((id) => ({
          brokerId: id,
          attachedEniId: `eni-${id}`,
          clientSubnet: SUBNETS[id - 1],
          clientVpcIpAddress: `10.0.${id}.10`,
          nodeArn: `arn:node-${id}`,
          endpoints: [`b-${id}.ordersprod.x1y2z3.c4.kafka.us-east-1.amazonaws.com`],
        })),
      };
    default:
      throw new Error(`unexpected invoke ${token}`);
  }
}

export interface MockCloud {
  readonly declared: Declared[];
  readonly invoked: Invoked[];
  readonly events: Event[];
  /** Explicit dependsOn per child as `Type:name` → `Type:name`s, as the components passed them (seen through a transformation). */
  readonly dependsOn: Map<string, string[]>;
  /** `retainOnDelete` and `protect` per custom child as `Type:name`, as the components passed them (the engine's mocks never see options). */
  readonly kept: Map<string, { retainOnDelete?: boolean; protect?: boolean }>;
  readonly transformation: pulumi.ResourceTransformation;
}

/** `ApiKey:destination-admin` for `confluentcloud:index/apiKey:ApiKey` named `destination-admin`. */
export function shortName(type: string, name: string): string {
  return `${type.split(":").pop()}:${name}`;
}

/** Installs the mocks; `preview` is passed to setMocks, so components run as in `pulumi preview` or `up`. */
export function mockCloud(
  preview: boolean,
  override: (token: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined = () => undefined,
): MockCloud {
  const names = new WeakMap<pulumi.Resource, string>();
  const cloud: MockCloud = {
    declared: [],
    invoked: [],
    events: [],
    dependsOn: new Map(),
    kept: new Map(),
    transformation: (args) => {
      names.set(args.resource, shortName(args.type, args.name));
      const { retainOnDelete, protect } = args.opts as pulumi.CustomResourceOptions;
      if (args.resource instanceof pulumi.CustomResource)
        cloud.kept.set(shortName(args.type, args.name), {
          ...(retainOnDelete !== undefined ? { retainOnDelete } : {}),
          ...(protect !== undefined ? { protect } : {}),
        });
      const deps = args.opts.dependsOn;
      const list = deps === undefined ? [] : Array.isArray(deps) ? deps : [deps];
      cloud.dependsOn.set(
        shortName(args.type, args.name),
        list.map((d) => names.get(d as pulumi.Resource) ?? "?"),
      );
      return undefined;
    },
  };
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        cloud.declared.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        cloud.events.push({ kind: "resource", type: args.type, name: args.name });
        return resourceState(args.type, args.name, args.inputs as Record<string, unknown>);
      },
      call: (args) => {
        cloud.invoked.push({ token: args.token, inputs: args.inputs as Record<string, unknown> });
        cloud.events.push({ kind: "invoke", token: args.token });
        return (
          override(args.token, args.inputs as Record<string, unknown>) ??
          invokeResult(args.token, args.inputs as Record<string, unknown>)
        );
      },
    },
    "kafka-cutover",
    "test",
    preview,
  );
  return cloud;
}

/** The inputs of the one child of `type` named `name` (or the only one of that type). */
export function inputsOf(cloud: MockCloud, type: string, name?: string): Record<string, unknown> {
  const found = cloud.declared.filter((d) => d.type === type && (name === undefined || d.name === name));
  if (found.length !== 1)
    throw new Error(
      `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.map((d) => d.name).join(", ") || "none"}`,
    );
  return found[0].inputs;
}

export function ofType(cloud: MockCloud, type: string): Declared[] {
  return cloud.declared.filter((d) => d.type === type);
}

export function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

export function isSecretOutput(o: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(o);
}

/** How a secret input reaches the mock: wrapped with Pulumi's secret signature. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export function isSecretValue(v: unknown): boolean {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** Every plain-text (not secret-wrapped) string in an input tree, with its path. */
export function plainStrings(value: unknown, path = ""): { path: string; value: string }[] {
  if (isSecretValue(value)) return [];
  if (typeof value === "string") return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => plainStrings(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null)
    return Object.entries(value).flatMap(([k, v]) => plainStrings(v, path ? `${path}.${k}` : k));
  return [];
}

/** Resolves once no child has been registered for a few event-loop turns: the component tree is complete. */
export async function settled(cloud: MockCloud): Promise<void> {
  let quiet = 0;
  let seen = -1;
  while (quiet < 5) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    quiet = cloud.declared.length === seen ? quiet + 1 : 0;
    seen = cloud.declared.length;
  }
}
