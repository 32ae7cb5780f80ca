import { runnerError, type RunnerError } from '../errors';

/**
 * Why an answered delivery (a webhook, an event POSTed to a URL) did not
 * count, or undefined when it did: only 2xx is a delivery, since a redirect
 * is not followed and the payload would have to be sent again elsewhere.
 */
export function undelivered(status: number): RunnerError | undefined {
  return status < 300 ? undefined : runnerError('config', `the destination answered ${status}, not 2xx (redirects are not followed)`, String(status));
}
