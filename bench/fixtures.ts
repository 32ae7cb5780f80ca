/** Generated integration files for benchmarks: realistic mixes of every type, as large as asked. */

function requestResponse(i: number): string {
  const endpoints = Array.from({ length: 8 }, (_, e) => `    endpoint_${e}: https://api${i}.example.com/v1/items/{id}/part_${e}`).join('\n');
  return `integration:
  type: request_response
  name: service_${i}
  description: Generated service number ${i}
  base_url: https://api${i}.example.com
  timeout: 30s
  retry:
    max_attempts: 4
    base_delay: 250ms
    max_delay: 10s
    backoff_factor: 2
    jitter: true
  circuit_breaker:
    failure_threshold: 5
    timeout: 1m
    half_open_max_calls: 1
  bulkhead:
    max_concurrent: 10
    max_queue: 5
  rate_limit:
    requests_per_minute: 600
    burst_size: 60
  auth:
    type: bearer
    token: \${SERVICE_${i}_TOKEN:-none}
  health_check:
    path: /health
    interval: 30s
    timeout: 5s
  endpoints:
${endpoints}
`;
}

function messageQueue(i: number): string {
  const queues = Array.from({ length: 4 }, (_, q) => `    - name: queue_${i}_${q}\n      exchange: exchange_${i}\n      routing_key: route.${q}.#\n      durable: true`).join('\n');
  return `integration:
  type: message_queue
  name: broker_${i}
  connection_url: \${RABBITMQ_URL:-amqp://127.0.0.1:5672}
  prefetch: 10
  queues:
${queues}
`;
}

function eventDriven(i: number): string {
  return `integration:
  type: event_driven
  name: events_${i}
  publishers:
    - name: publisher_${i}
      events: [milestone_created, task_completed, custom_event_${i}]
      destination: queue_${i - 1}_0
  subscribers:
    - name: subscriber_${i}
      events: [custom_event_${i}, task_completed]
      handler: log
`;
}

const GENERATORS = [requestResponse, messageQueue, eventDriven];

/** One file of about `lines` lines, as `---`-separated documents. */
export function generatedFile(lines: number, offset = 0): string {
  const documents: string[] = [];
  let count = 0;
  for (let i = 0; count < lines; i++) {
    const document = GENERATORS[i % GENERATORS.length](offset + i);
    documents.push(document);
    count += document.split('\n').length;
  }
  return documents.join('---\n');
}
