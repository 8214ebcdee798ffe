import { NetworkingType, StackConfig, validateStackConfig } from "../../../config";
import { rawConfig, validPlain } from "../config/rawConfig";
import { SUBNETS } from "./mockCloud";

/** Secrets of a create-mode stack: no destinationApiSecret, the program makes its own keys. */
export const CREATE_SECRETS = {
  sourcePassword: "s3cr3t-scram-password",
  kubeconfig: "apiVersion: v1\nkind: Config\nusers: [{name: s3cr3t-kube}]\n",
};

const NETWORKING: Record<NetworkingType, Record<string, unknown>> = {
  privatelink: {
    type: "privatelink",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    subnetIds: SUBNETS,
    awsAccountId: "444455556666",
  },
  peering: {
    type: "peering",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    subnetIds: SUBNETS,
    cidr: "10.10.0.0/16",
    routeTableIds: ["rtb-0a01", "rtb-0a02"],
  },
  transitgateway: {
    type: "transitgateway",
    vpcId: "vpc-0a1b2c3d4e5f60718",
    subnetIds: SUBNETS,
    cidr: "10.20.0.0/16",
    routeTableIds: ["rtb-0a01"],
    transitGatewayId: "tgw-0a1b2c3d4e5f60718",
  },
};

/** A validated create-mode stack config for `type`, from the same groups as the config tests. */
export function createStack(
  type: NetworkingType,
  edit: (plain: Record<string, unknown>) => void = () => undefined,
): StackConfig {
  const plain = validPlain();
  plain.destination = {
    mode: "create",
    environmentName: "msk-migration",
    region: "us-east-1",
    cluster: {
      name: "orders-prod",
      availability: "MULTI_ZONE",
      ckus: 3,
      zones: type === "transitgateway" ? [] : ["use1-az1", "use1-az2", "use1-az4"],
    },
    networking: structuredClone(NETWORKING[type]),
  };
  plain.link = { name: "msk-to-cc" };
  edit(plain);
  return validateStackConfig(rawConfig(plain, CREATE_SECRETS));
}
