/**
 * The Testing view's items as plain data, found from a workspace snapshot: per file, per integration, every
 * request_response endpoint and every outgoing webhook endpoint (one with a URL: something to send to); per
 * `microservices` document every HTTP service (one call to an instance its load balancer picks); per gateway,
 * every route and method it tests (`test <gateway>`); each at its name's or route's line. Ids are stable across
 * edits, so results and expansion survive. No `vscode` here.
 */
import { relative } from 'node:path';
import type { Range } from '../../core/diagnostic';
import { seqItems, valueOf } from '../../core/yamlNodes';
import { routeMethods } from '../../runners/gateway/gatewayAddress';
import { namedGateways } from '../../runners/gateway/gatewayNames';
import type { TreeWorkspace } from '../tree/treeModel';

export interface EndpointTest {
  id: string;
  /** `gateway-route`: `integration` is the gateway's name, `endpoint` is `METHOD /path`; `service`: `integration` is the service's name. */
  kind: 'endpoint' | 'webhook' | 'service' | 'gateway-route';
  integration: string;
  endpoint: string;
  label: string;
  description: string;
  range?: Range;
}

export interface IntegrationTests {
  id: string;
  integration: string;
  type: 'request_response' | 'webhook' | 'microservices' | 'api_gateway';
  range?: Range;
  tests: EndpointTest[];
}

export interface FileTests {
  id: string;
  uri: string;
  /** Relative to its workspace folder. */
  label: string;
  integrations: IntegrationTests[];
}

const pathOf = (uri: string) => (uri.startsWith('file:') ? decodeURIComponent(new URL(uri).pathname) : uri);

export function discoverEndpointTests(workspace: Pick<TreeWorkspace, 'integrations' | 'microservices' | 'gateways' | 'files' | 'index' | 'folderOf'>): FileTests[] {
  const files = new Map<string, FileTests>();
  const fileOf = (uri: string): FileTests => {
    let file = files.get(uri);
    if (!file) files.set(uri, (file = { id: uri, uri, label: relative(workspace.folderOf(uri), pathOf(uri)), integrations: [] }));
    return file;
  };
  const rangeOf = (kind: 'integration' | 'endpoint' | 'webhook-endpoint' | 'service', name: string, uri: string, integration?: string) =>
    workspace.index.definitions(kind, name).find((entry) => entry.uri === uri && (integration === undefined || entry.integration === integration))?.range;
  for (const integration of workspace.integrations()) {
    if (integration.type !== 'request_response' && integration.type !== 'webhook') continue;
    const uri = integration.source.uri;
    const file = fileOf(uri);
    const id = `${uri}#${integration.name}`;
    // A name written twice (a name-duplicate error) keeps its first: ids stay unique.
    if (file.integrations.some((candidate) => candidate.id === id)) continue;
    const tests: EndpointTest[] =
      integration.type === 'request_response'
        ? integration.endpoints.map((endpoint) => ({ id: `${id}/${endpoint.name}`, kind: 'endpoint', integration: integration.name, endpoint: endpoint.name, label: endpoint.name, description: endpoint.method, range: rangeOf('endpoint', endpoint.name, uri, integration.name) }))
        : integration.endpoints
            .filter((endpoint) => endpoint.url)
            .map((endpoint) => ({ id: `${id}/${endpoint.name}`, kind: 'webhook', integration: integration.name, endpoint: endpoint.name, label: endpoint.name, description: `webhook · ${endpoint.signature}`, range: rangeOf('webhook-endpoint', endpoint.name, uri, integration.name) }));
    const unique = tests.filter((test, index) => tests.findIndex((other) => other.id === test.id) === index);
    if (unique.length) file.integrations.push({ id, integration: integration.name, type: integration.type, range: rangeOf('integration', integration.name, uri), tests: unique });
  }
  // gRPC services are not called (a value-not-run warning says so): nothing to run.
  for (const microservices of workspace.microservices().filter((group) => group.communication.type === 'http')) {
    const uri = microservices.source.uri;
    const id = `${uri}#microservices:${microservices.source.documentIndex}`;
    const tests: EndpointTest[] = microservices.services.map((service) => ({ id: `${id}/${service.name}`, kind: 'service', integration: service.name, endpoint: '', label: service.name, description: `service · ${service.loadBalancer}`, range: rangeOf('service', service.name, uri) }));
    const unique = tests.filter((test, index) => tests.findIndex((other) => other.id === test.id) === index);
    if (unique.length) fileOf(uri).integrations.push({ id, integration: 'microservices', type: 'microservices', tests: unique });
  }
  for (const { name, gateway } of namedGateways(workspace.gateways())) {
    const { uri, documentIndex } = gateway.source;
    const source = workspace.files.find((candidate) => candidate.uri === uri);
    const document = source?.documents[documentIndex];
    const routeNodes = seqItems(valueOf(document?.body, 'routes'));
    const id = `${uri}#${name}`;
    const tests = gateway.routes.flatMap((route, index) =>
      routeMethods(route).map((method): EndpointTest => {
        const node = routeNodes[index];
        return { id: `${id}/${method} ${route.path}`, kind: 'gateway-route', integration: name, endpoint: `${method} ${route.path}`, label: `${method} ${route.path}`, description: `→ ${route.service}`, range: node && source?.rangeOf(node) };
      }),
    );
    const unique = tests.filter((test, index) => tests.findIndex((other) => other.id === test.id) === index);
    if (unique.length) fileOf(uri).integrations.push({ id, integration: name, type: 'api_gateway', range: document?.kindKey && source?.rangeOf(document.kindKey), tests: unique });
  }
  return [...files.values()].filter((file) => file.integrations.length).sort((a, b) => a.label.localeCompare(b.label));
}
