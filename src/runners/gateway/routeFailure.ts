import { STATUS_CODES } from 'node:http';
import { runnerError, type RunnerError } from '../errors';

interface RouteAnswer {
  path: string;
  method: string;
  service: string;
  status: number;
  /** The answer's `Allow` header (a 405 names the methods the route does take). */
  allow?: string;
}

/**
 * Why a gateway's answer means the route does not work, in the gateway's terms: the route is missing,
 * refuses the method or the credential, is throttled, or the service behind it failed. Undefined for 2xx/3xx.
 */
export function routeFailure({ path, method, service, status, allow }: RouteAnswer): RunnerError | undefined {
  if (status < 400) return undefined;
  const code = String(status);
  const reason = `${status} ${STATUS_CODES[status] ?? 'response'}`;
  switch (status) {
    case 404:
      return runnerError('remote-4xx', `route missing: the gateway has no ${path} (${reason})`, code);
    case 405:
      return runnerError('remote-4xx', `the gateway refuses ${method} on ${path} (${reason}${allow ? `; allows ${allow}` : ''})`, code);
    case 401:
    case 403:
      return runnerError('auth', `the gateway refused the credential on ${path} (${reason})`, code);
    case 429:
      return runnerError('transient', `throttled by the gateway's rate limit (${reason})`, code);
    case 502:
    case 503:
    case 504:
      return runnerError('remote-5xx', `the gateway could not get an answer from ${service} (${reason})`, code);
  }
  return runnerError(status >= 500 ? 'remote-5xx' : 'remote-4xx', `${method} ${path} answered ${reason}`, code);
}
