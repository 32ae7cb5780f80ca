import type { Server } from 'node:http';
import type { DemoPlan } from '../demoPlan';
import { closeServer, listenOn } from './httpService';
import { apiGateway, microservice } from './microservices';
import { trackerService } from './trackerService';
import { webhookSink, type SinkArrival } from './webhookSink';

export interface RunningServices {
  /** One line per service: what it is and where. */
  listing: string[];
  sinkArrivals: SinkArrival[];
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
    ...plan.services.map((service) => ({ server: microservice(service), ...service, role: `service ${service.name}`, what: service.healthPath ?? '' })),
    ...(plan.gateway ? [{ server: apiGateway(plan.gateway), ...plan.gateway, role: 'api gateway', what: plan.gateway.routes.map((route) => route.path).join(', ') }] : []),
  ];
  const servers = wanted.map((entry) => entry.server);
  const stop = async () => void (await Promise.all(servers.map(closeServer)));
  const outcomes = await Promise.allSettled(wanted.map((entry) => listenOn(entry.server, entry.host, entry.port, entry.role)));
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  const width = Math.max(...wanted.map((entry) => entry.role.length));
  return {
    listing: wanted.map((entry) => `${entry.role.padEnd(width)}  http://${entry.host}:${entry.port}  ${entry.what}`),
    sinkArrivals,
    stop,
  };
}
