import { isMap, isScalar, visit, type Node, type YAMLMap } from 'yaml';
import { parseDuration } from '../duration';
import { pairOf, scalarValue, valueOf } from '../yamlNodes';
import type { Rule } from './rule';

const numberOf = (node: unknown): number | undefined => (typeof scalarValue(node) === 'number' ? (scalarValue(node) as number) : undefined);

/** Settings that contradict each other: a burst above its rate, a base delay above its cap, `retries` beside `retry`. */
export const contradictoryRanges: Rule = ({ file, report }) => {
  for (const document of file.documents) {
    if (!document.body) continue;
    const retries = pairOf(document.body, 'retries');
    const retry = pairOf(document.body, 'retry');
    if (retries && retry) report('range-invalid', '"retries" and "retry" both set the number of attempts: keep one (retries: N is retry.max_attempts: N + 1).', file.rangeOf(retry.key));
    visit(document.yaml, {
      Pair(_key, pair) {
        if (!isScalar(pair.key) || !isMap(pair.value)) return;
        const name = String(pair.key.value);
        const map = pair.value as YAMLMap;
        if (name === 'rate_limit' || name === 'rate_limiting') {
          const perMinute = numberOf(valueOf(map, 'requests_per_minute'));
          const burst = pairOf(map, 'burst_size');
          const burstSize = numberOf(burst?.value);
          if (perMinute !== undefined && burstSize !== undefined && burstSize > perMinute) {
            report('range-invalid', `burst_size (${burstSize}) cannot exceed requests_per_minute (${perMinute}).`, file.rangeOf(burst?.value as Node));
          }
        }
        if (name === 'retry') {
          const base = parseDuration(scalarValue(valueOf(map, 'base_delay')));
          const capNode = valueOf(map, 'max_delay');
          const cap = parseDuration(scalarValue(capNode));
          if (base !== undefined && cap !== undefined && cap < base) report('range-invalid', `max_delay is shorter than base_delay: no retry could wait as long as its base delay.`, file.rangeOf(capNode as Node));
        }
      },
    });
  }
};
