import { attemptsTable } from './attemptRows';
import { count, errorMessage, list, ms, record, text, type Plain } from './plainData';
import { cell, code, passed, table, type Fact, type ResultModel, type Section } from './resultModel';

function statusText(result: Plain): string {
  const status = count(result.status);
  if (status !== undefined) return String(status);
  return errorMessage(result.error) ?? 'no answer';
}

/** One endpoint run (`EndpointResult` or its JSON): status, attempts, timing, headers, body, trace id. */
export function endpointModel(title: string, data: unknown): ResultModel {
  const result = record(data) ?? {};
  const ok = result.ok === true;
  const facts: Fact[] = [];
  const request = [text(result.method), text(result.url)].filter(Boolean).join(' ');
  if (request) facts.push({ label: 'Request', value: request });
  facts.push({ label: 'Duration', value: ms(result.durationMs) });
  const error = errorMessage(result.error);
  if (error) facts.push({ label: 'Error', value: error });
  const breaker = text(result.breaker);
  if (breaker) facts.push({ label: 'Circuit', value: breaker });
  const traceId = text(result.traceId);
  if (traceId) facts.push({ label: 'Trace id', value: traceId });

  const sections: Section[] = [attemptsTable(result.attempts)];
  const timing = record(result.timing);
  if (timing) {
    const phases: Array<[string, unknown]> = [['Queued (bulkhead)', timing.queuedMs], ['Rate limit wait', timing.rateLimitWaitMs], ['Backoff', timing.backoffMs], ['First byte', timing.firstByteMs], ['Total', timing.totalMs]];
    sections.push(table('Timing', ['Phase', 'Time'], phases.map(([phase, value]) => [cell(phase), cell(ms(value))])));
  }
  const response = record(result.response);
  if (response) {
    const headers = Object.entries(record(response.headers) ?? {}).map(([name, value]) => [cell(name), cell(text(value) ?? JSON.stringify(value))]);
    sections.push(table('Response headers', ['Header', 'Value'], headers, 'No headers.'));
    const body = code('Body', response.body ?? '');
    const cut = response.truncated === true ? `the runner kept the first ${count(response.bytes) ?? 'few'} bytes` : undefined;
    sections.push(cut ? { ...body, note: [body.note, cut].filter(Boolean).join('; ') } : body);
  }
  return { title, headline: passed(ok, statusText(result)), facts, sections, actions: ['rerun'] };
}

/** Test All Endpoints (`{integration, ok, results}`): one row per endpoint. */
export function endpointsModel(title: string, data: unknown): ResultModel {
  const results = list(record(data)?.results).map((value) => record(value) ?? {});
  const passedCount = results.filter((result) => result.ok === true).length;
  const rows = results.map((result) => [
    cell(text(result.endpoint)),
    passed(result.ok === true, statusText(result)),
    cell(list(result.attempts).length),
    cell(ms(result.durationMs)),
    cell(errorMessage(result.error) ?? '', result.ok === true ? undefined : 'error'),
  ]);
  const headline = passed(passedCount === results.length, `${passedCount} of ${results.length} passed`);
  return { title, headline, facts: [], sections: [table('Endpoints', ['Endpoint', 'Status', 'Attempts', 'Duration', 'Error'], rows, 'The integration has no endpoints.')], actions: ['rerun'] };
}
