import type { ApiGateway } from '../../core/model';

/** A gateway with the name the CLI, health and the editor know it by. */
export interface NamedGateway {
  readonly name: string;
  readonly gateway: ApiGateway;
}

/** The first gateway is `api_gateway`, the later ones (a workspace with several) `api_gateway_2`, `api_gateway_3`, ... */
export function gatewayName(index: number): string {
  return index === 0 ? 'api_gateway' : `api_gateway_${index + 1}`;
}

export function namedGateways(gateways: readonly ApiGateway[]): NamedGateway[] {
  return gateways.map((gateway, index) => ({ name: gatewayName(index), gateway }));
}
