import type { Server } from 'node:http';
import type { DemoPlan } from '../demoPlan';
import { closeServer, listenOn } from './httpService';
import { nginxBinary, startNginxGateway } from '../../../test/support/nginxGateway';
import { microservice } from './microservices';
import { trackerService } from './trackerService';
import { webhookSink, type SinkArrival } from './webhookSink';

export interface RunningServices {
  /** One line per service: what it is and where. */
  listing: string[];
  sinkArrivals: SinkArrival[];
  /** Why the gateway is not running (no nginx on the machine), or undefined when it is. */
  gatewaySkipped?: string;
  stop(): Promise<void>;
}

/**
 * Starts every HTTP service examples/ expects, where its config says. All or
 * nothing: when one port is taken, the ones already listening are closed and
 * the error names the port.
 */
export async function startServices(plan: DemoPlan, log: (service: string, line: string) => void): Promise<RunningServices> {
  const sinkArrivals: SinkArrival[] = [];
  const wanted: Array<{ server: Server; host: string; port: number; role: string; what: string }> = [
    { server: trackerService(plan.tracker, (line) => log('tracker', line)), ...plan.tracker, role: 'project tracker', what: `OAuth token, ${plan.tracker.apiPrefix}/issues${plan.tracker.eventsPath ? `, ${plan.tracker.eventsPath}` : ''}` },
    { server: webhookSink(plan.sink, (line) => log('sink', line), (arrival) => sinkArrivals.push(arrival)), ...plan.sink, role: 'webhook sink (team chat, CI)', what: plan.sink.hooks.map((hook) => `${hook.path} (${hook.endpoint.signature})`).join(', ') },
    ...plan.services.map((service) => ({ server: microservice(service, plan.gateway?.jwtSecret), ...service, role: `service ${service.name}`, what: service.healthPath ?? '' })),
  ];
  const servers = wanted.map((entry) => entry.server);
  const stop = async () => void (await Promise.all(servers.map(closeServer)));
  const outcomes = await Promise.allSettled(wanted.map((entry) => listenOn(entry.server, entry.host, entry.port, entry.role)));
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  const listed = wanted.map((entry) => ({ role: entry.role, where: `http://${entry.host}:${entry.port}`, what: entry.what }));
  const gateway = plan.gateway && (await startGateway(plan.gateway).catch(async (error: Error) => {
    await stop();
    throw error;
  }));
  const stopAll = async () => {
    if (gateway?.kind === 'started') await gateway.stop();
    await stop();
  };
  if (gateway) listed.push(gateway.kind === 'started' ? { role: 'api gateway (nginx)', where: gateway.url, what: gateway.what } : { role: 'api gateway', where: 'not started', what: gateway.reason });
  const width = Math.max(...listed.map((entry) => entry.role.length));
  return {
    listing: listed.map((entry) => `${entry.role.padEnd(width)}  ${entry.where}  ${entry.what}`),
    sinkArrivals,
    gatewaySkipped: gateway?.kind === 'skipped' ? gateway.reason : undefined,
    stop: stopAll,
  };
}

type GatewayStart = { kind: 'started'; url: string; what: string; stop(): Promise<void> } | { kind: 'skipped'; reason: string };

/**
 * The gateway is real nginx (the test suite's starter: own prefix, config and logs), in front of the services
 * on the port the api_gateway document names, with its routes, methods and rate limit; without nginx on the
 * machine the gateway steps are skipped and say so.
 */
async function startGateway(gateway: NonNullable<DemoPlan['gateway']>): Promise<GatewayStart> {
  if (!nginxBinary()) return { kind: 'skipped', reason: 'nginx is not installed (apt-get install nginx): gateway test skipped' };
  const routes = gateway.routes.map((route) => ({ path: route.path, methods: route.methods, upstream: new URL(route.target).origin }));
  const nginx = await startNginxGateway({ host: gateway.host, port: gateway.port, routes, rateLimit: gateway.rateLimit });
  const limit = gateway.rateLimit ? `; ${gateway.rateLimit.requestsPerMinute}/min, burst ${gateway.rateLimit.burstSize}` : '';
  return { kind: 'started', url: nginx.url, what: `${routes.map((route) => `${route.path} [${route.methods.join(' ')}]`).join(', ')}${limit}`, stop: nginx.stop };
}
