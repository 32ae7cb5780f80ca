import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { parseDuration } from '../duration';
import { pairOf, scalarValue, valueOf } from '../yamlNodes';
import type { Rule } from './rule';

const numberOf = (node: unknown): number | undefined => (typeof scalarValue(node) === 'number' ? (scalarValue(node) as number) : undefined);

function burstAboveRate(map: YAMLMap): { burst: number; perMinute: number; node: Node | null | undefined } | undefined {
  const perMinute = numberOf(valueOf(map, 'requests_per_minute'));
  const burst = pairOf(map, 'burst_size');
  const burstSize = numberOf(burst?.value);
  return perMinute !== undefined && burstSize !== undefined && burstSize > perMinute ? { burst: burstSize, perMinute, node: burst?.value } : undefined;
}

/** Settings that contradict each other: a burst above its rate, a base delay above its cap, `retries` beside `retry`. */
export const contradictoryRanges: Rule = {
  file({ file, report }) {
    for (const document of file.documents) {
      const retry = pairOf(document.body, 'retry');
      if (retry && pairOf(document.body, 'retries')) {
        report('range-invalid', '"retries" and "retry" both set the number of attempts: keep one (retries: N is retry.max_attempts: N + 1).', file.rangeOf(retry.key));
      }
    }
  },
  node({ file, report }, { node, key }) {
    if (!isMap(node) || !isScalar(key)) return;
    const name = String(key.value);
    if (name === 'rate_limit' || name === 'rate_limiting') {
      const problem = burstAboveRate(node);
      if (problem) report('range-invalid', `burst_size (${problem.burst}) cannot exceed requests_per_minute (${problem.perMinute}).`, file.rangeOf(problem.node));
    } else if (name === 'retry') {
      const base = parseDuration(scalarValue(valueOf(node, 'base_delay')));
      const capNode = valueOf(node, 'max_delay');
      const cap = parseDuration(scalarValue(capNode));
      if (base !== undefined && cap !== undefined && cap < base) report('range-invalid', 'max_delay is shorter than base_delay: no retry could wait as long as its base delay.', file.rangeOf(capNode));
    }
  },
};
