/**
 * The JSON Schema (draft-07) of the integration config language (CONFIG.md).
 * `schemas/integration.schema.json` is written from this object by
 * `npm run schema`; a unit test fails when the two differ.
 *
 * It keeps to a small keyword subset that our own validator walks (see
 * `JsonSchema`); plain YAML editors read the same file through yamlValidation.
 * Discriminated shapes (`integration` by `type`, `auth` by `type`) use
 * `allOf` of `if: {properties: {type: {const}}}` / `then: {$ref}`, and each
 * target definition is complete (common keys + its own, additionalProperties false).
 * A `$ref` property may carry sibling annotations (description, default,
 * examples) for hovers; validators ignore those siblings.
 *
 * Custom keywords:
 * - `x-secret: true`: a secret-bearing key; a literal there is `secret-literal`.
 * - `x-reference: kind`: the value names something declared elsewhere:
 *   - `destination`: an event publisher's target, a `message_queue` queue name or a URL
 *   - `handler`: a subscriber's handler (`webhook:<integration>/<endpoint>`, `queue:<queue>`, `log`, `command:<id>`)
 *   - `event`: an event name (Simone events or custom), on the items of `events` lists
 *   - `connection`: a `database` connection name of the same integration
 *   - `sync-source`: a Simone entity set or `<connection>.<table>`
 *   - `service`: a `microservices` service name anywhere in the workspace
 */

import {
  AUTH_TYPES, COMMUNICATION_TYPES, CONNECTION_TYPES, DEFAULTS, DELETE_POLICIES, DISCOVERY_SCHEMES, DISCOVERY_TYPES, EXCHANGE_TYPES, GATEWAY_AUTH_TYPES,
  HTTP_METHODS, INTEGRATION_TYPES, JWT_ALGORITHMS, LOAD_BALANCERS, SIGNATURE_SCHEMES, SYNC_FREQUENCIES, SYNC_MODES,
} from './defaults';
import type { JsonSchema, RootSchema } from './jsonSchema';
import { SIMONE_EVENTS } from './simoneEntitySets';


const ref = (definition: string, annotations: Pick<JsonSchema, 'description' | 'markdownDescription' | 'examples'>): JsonSchema => ({
  $ref: `#/definitions/${definition}`,
  ...annotations,
});

const duration = (description: string, fallback: string | undefined, examples: string[]): JsonSchema => ({
  type: ['string', 'number'],
  format: 'duration',
  description: `${description} A duration such as \`250ms\`, \`30s\`, \`5m\`, \`1h\`, \`1m30s\`; a bare number means seconds.`,
  ...(fallback === undefined ? {} : { default: fallback }),
  examples,
});

const secret = (description: string, examples: string[]): JsonSchema => ({
  type: 'string',
  'x-secret': true,
  description: `${description} Secret: write a \`\${VAR}\` reference, not the value.`,
  examples,
});

const port = (description: string, examples: number[], fallback?: number): JsonSchema => ({
  type: 'integer',
  minimum: 0,
  maximum: 65535,
  description,
  ...(fallback === undefined ? {} : { default: fallback }),
  examples,
});

/** One `if type == value then $ref` branch per discriminator value. */
const discriminate = (values: readonly string[], definitionOf: (value: string) => string): JsonSchema['allOf'] =>
  values.map((value) => ({ if: { properties: { type: { const: value } }, required: ['type'] }, then: { $ref: `#/definitions/${definitionOf(value)}` } }));

/** An `as const` list from defaults.ts, as the schema's (mutable) arrays take it. */
const list = (values: readonly string[]): string[] => [...values];

const integrationType: JsonSchema = {
  enum: list(INTEGRATION_TYPES),
  description: 'The integration pattern; it decides which other keys this integration takes.',
  markdownDescription:
    'The integration pattern; it decides which other keys this integration takes.\n\n' +
    '- `request_response`: HTTP calls to named endpoints\n- `event_driven`: publishers and subscribers of project events\n' +
    '- `message_queue`: RabbitMQ (AMQP) exchanges and queues\n- `webhook`: signed outgoing webhooks and a local receiver\n' +
    '- `database`: sync Simone data into PostgreSQL or embedded PGlite',
  examples: list(INTEGRATION_TYPES),
};

const integrationName: JsonSchema = {
  type: 'string',
  pattern: '^[a-z][a-z0-9_]*$',
  description: 'Unique name of this integration in the workspace: lowercase letters, digits and underscores, starting with a letter.',
  examples: ['user_service_integration'],
};

const eventList = (description: string): JsonSchema => ({
  type: 'array',
  minItems: 1,
  items: {
    type: 'string',
    'x-reference': 'event',
    description: 'An event name: a Simone project event or a custom name.',
    examples: list(SIMONE_EVENTS),
  },
  description,
  examples: [['milestone_created', 'milestone_completed']],
});

/** An event_driven `publishers` or `subscribers` list: named items, each with its events and where they go (`routeKey`). */
function eventRouteList(options: {
  description: string;
  item: string;
  role: string;
  nameExample: string;
  events: string;
  routeKey: string;
  route: JsonSchema;
  example: Record<string, unknown>;
}): JsonSchema {
  return {
    type: 'array',
    description: options.description,
    items: {
      type: 'object',
      description: options.item,
      required: ['name', 'events', options.routeKey],
      properties: {
        name: { type: 'string', description: `Name of this ${options.role}, shown in the tree and in logs.`, examples: [options.nameExample] },
        events: eventList(options.events),
        [options.routeKey]: options.route,
      },
      additionalProperties: false,
    },
    examples: [[options.example]],
  };
}

/** A `health_check` section: schedule, time limit and expected statuses, with the ways to name what is fetched. */
function healthCheck(description: string, target: Record<string, JsonSchema>): JsonSchema {
  return {
    type: 'object',
    description,
    properties: {
      ...target,
      interval: duration('Time between checks.', DEFAULTS.health_check.interval, ['30s', '1m']),
      timeout: duration('How long one check may take.', DEFAULTS.health_check.timeout, ['5s']),
      expect_status: {
        description: 'Statuses that count as healthy: a range `200-399`, a status, or a list of those.',
        default: DEFAULTS.health_check.expect_status,
        oneOf: [statusRange, statusCode, { type: 'array', minItems: 1, items: { oneOf: [statusCode, statusRange], description: 'A status or a range.' }, description: 'Several statuses or ranges.', examples: [[200, 204]] }],
      },
    },
    additionalProperties: false,
    examples: [Object.keys(target).includes('path') ? { path: '/health', interval: '30s' } : { interval: '30s' }],
  };
}

/** Keys every integration type takes, besides `type` and `name`. */
const commonIntegrationProperties: Record<string, JsonSchema> = {
  description: { type: 'string', description: 'What this integration is for; shown in hovers and the integrations tree.', examples: ['Reads users from the user service'] },
  timeout: duration('How long one attempt may take before it is abandoned.', DEFAULTS.timeout, ['30s', '5s']),
  retries: {
    type: 'integer',
    minimum: 0,
    description: 'Retries after the first attempt: `retries: 2` means up to 3 attempts. Shorthand for `retry.max_attempts: retries + 1`; use either this or `retry`.',
    default: DEFAULTS.retries,
    examples: [3, 0],
  },
  retry: ref('retry', { description: 'Retry strategy with exponential backoff and jitter; use either this or `retries`.' }),
  circuit_breaker: ref('circuit_breaker', { description: 'Stops calling after repeated failures and tries again after a pause.' }),
  bulkhead: ref('bulkhead', { description: 'Caps how many calls of this integration run at once.' }),
  rate_limit: ref('rate_limit', { description: 'Client-side limit on how often this integration sends requests.' }),
  auth: ref('auth', { description: 'How requests authenticate; `type` picks the scheme.' }),
  enabled: { type: 'boolean', description: 'Set to false to keep the integration in the file but never run it.', default: DEFAULTS.enabled, examples: [false] },
};

/**
 * Common keys a type's runners do not read, with why. CONFIG.md keeps them common, so they stay valid; they are
 * not offered, and a warning says they do nothing there.
 */
const NOT_READ: Record<string, { keys: readonly string[]; why: string }> = {
  message_queue: {
    keys: ['circuit_breaker', 'bulkhead', 'rate_limit', 'auth'],
    why: 'AMQP publishes and consumes go through the broker connection (credentials in `connection_url`, reconnects spaced by `retry`), with no breaker, bulkhead, rate limit or auth in front of them',
  },
  database: {
    keys: ['retries', 'retry', 'circuit_breaker', 'bulkhead', 'rate_limit', 'auth'],
    why: 'a sync runs each table once, in one transaction, with the credentials of its connection; run it again to retry',
  },
};

function commonPropertiesOf(type: string): Record<string, JsonSchema> {
  const notRead = NOT_READ[type];
  if (!notRead) return commonIntegrationProperties;
  return Object.fromEntries(
    Object.entries(commonIntegrationProperties).map(([key, property]) =>
      notRead.keys.includes(key) ? [key, { ...property, 'x-key-not-run': `\`${key}\` does nothing on a ${type} integration: ${notRead.why}.` }] : [key, property],
    ),
  );
}

/** A complete per-type integration definition: common keys plus the type's own. */
const integrationOfType = (type: string, description: string, required: string[], own: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  description,
  required: ['type', 'name', ...required],
  properties: {
    type: { const: type, description: integrationType.description, examples: [type] },
    name: integrationName,
    ...commonPropertiesOf(type),
    // Only request_response has a `base_url` for a health `path`; the others check themselves, plus a `url` if given.
    health_check:
      type === 'request_response'
        ? ref('health_check', { description: 'What "healthy" means for this integration; the editor checks it periodically.' })
        : ref('health_check_url', { description: 'How often and how long this integration is checked its own way, and a `url` to GET as well (a management API, say).' }),
    ...own,
  },
  additionalProperties: false,
});

/** A complete per-scheme auth definition. */
const authOfType = (type: string, description: string, required: string[], own: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  description,
  required: ['type', ...required],
  properties: { type: { const: type, description: 'The authentication scheme; it decides which other keys apply.', examples: [type] }, ...own },
  additionalProperties: false,
});

const rateLimit: JsonSchema = {
  type: 'object',
  description: 'A token-bucket rate limit.',
  required: ['requests_per_minute'],
  properties: {
    requests_per_minute: { type: 'integer', minimum: 1, description: 'Sustained rate: requests allowed per minute.', examples: [60, 1000] },
    burst_size: {
      type: 'integer',
      minimum: 1,
      description: 'Requests allowed at once before the rate applies; at most `requests_per_minute`. Defaults to `requests_per_minute`.',
      examples: [10, 100],
    },
  },
  additionalProperties: false,
  examples: [{ requests_per_minute: 60, burst_size: 10 }],
};

const statusRange: JsonSchema = {
  type: 'string',
  format: 'status-range',
  description: 'HTTP statuses as a range `200-399`, a single status, or a comma-separated list of those.',
  examples: ['200-399', '200,204'],
};
const statusCode: JsonSchema = { type: 'integer', minimum: 100, maximum: 599, description: 'One HTTP status.', examples: [200, 204] };

const definitions: Record<string, JsonSchema> = {
  integration: {
    type: 'object',
    description: 'One integration; `type` picks its shape.',
    required: ['type', 'name'],
    properties: { type: integrationType, name: integrationName },
    allOf: discriminate(INTEGRATION_TYPES, (type) => type),
  },

  request_response: integrationOfType('request_response', 'Calls named HTTP endpoints with timeout, retry, circuit breaker and auth.', ['endpoints'], {
    base_url: {
      type: 'string',
      format: 'uri',
      description: 'Absolute URL that relative endpoint paths are joined to.',
      examples: ['https://api.userservice.com', '${USER_SERVICE_URL}'],
    },
    endpoints: {
      type: 'object',
      minProperties: 1,
      description: 'Named endpoints: each a URL or path template with `{param}` placeholders, or an object with `url`, `method`, `headers` and `body`.',
      additionalProperties: ref('endpoint', { description: 'An endpoint: a URL or path template, or `{url, method, headers, body}`.' }),
      examples: [{ get_user: '/users/{id}' }],
    },
  }),

  endpoint: {
    description: 'An endpoint: a URL or path template, or `{url, method, headers, body}`.',
    oneOf: [
      {
        type: 'string',
        format: 'uri-template',
        description: 'Absolute URL or path (joined to `base_url`) with `{param}` placeholders; called with GET.',
        examples: ['/users/{id}', 'https://api.userservice.com/users/{id}'],
      },
      {
        type: 'object',
        description: 'An endpoint with its method, headers and body.',
        required: ['url'],
        properties: {
          url: {
            type: 'string',
            format: 'uri-template',
            description: 'Absolute URL or path (joined to `base_url`) with `{param}` placeholders.',
            examples: ['/users/{id}'],
          },
          method: { enum: list(HTTP_METHODS), description: 'HTTP method of the request.', default: DEFAULTS.method, examples: ['POST'] },
          headers: {
            type: 'object',
            description: 'Extra request headers, header name to value; values may hold `${VAR}` references.',
            additionalProperties: { type: ['string', 'number', 'boolean'], 'x-secret-parts': 'variables', description: 'A header value.', examples: ['application/json'] },
            examples: [{ Accept: 'application/json' }],
          },
          body: { description: 'Request body, sent as JSON; `{param}` placeholders in its strings are filled in.', examples: [{ name: '{name}' }] },
        },
        additionalProperties: false,
      },
    ],
  },

  event_driven: integrationOfType('event_driven', 'Publishes project events to queues or URLs and routes them to handlers.', [], {
    publishers: eventRouteList({
      description: 'Who emits which events, and where they go.',
      item: 'A publisher: events and their destination.',
      role: 'publisher',
      nameExample: 'milestone_publisher',
      events: 'Events this publisher emits, at least one.',
      routeKey: 'destination',
      route: {
        type: 'string',
        format: 'queue-or-url',
        'x-reference': 'destination',
        'x-secret-parts': 'url',
        description: 'A queue declared by a `message_queue` integration, or a URL that receives each event as a CloudEvents 1.0 JSON POST.',
        examples: ['project_events_queue', 'https://hooks.example.com/events'],
      },
      example: { name: 'milestone_publisher', events: ['milestone_completed'], destination: 'project_events_queue' },
    }),
    subscribers: eventRouteList({
      description: 'Subscribers: who reacts to which events, and how.',
      item: 'A subscriber: events and their handler.',
      role: 'subscriber',
      nameExample: 'notification_subscriber',
      events: 'Events this subscriber handles; one that nothing publishes is a warning.',
      routeKey: 'handler',
      route: {
        type: 'string',
        'x-reference': 'handler',
        description:
          'What runs for each event: `webhook:<integration>/<endpoint>`, `queue:<queue>`, `log`, or `command:<VS Code command id>`. A bare name is accepted and listed as unresolved.',
        examples: ['webhook:external_notifications/slack_webhook', 'queue:notification_queue', 'log'],
      },
      example: { name: 'notification_subscriber', events: ['milestone_completed'], handler: 'log' },
    }),
  }),

  message_queue: integrationOfType('message_queue', 'Declares RabbitMQ exchanges, queues and bindings; publishes with confirms, consumes with manual ack.', ['connection_url', 'queues'], {
    connection_url: {
      type: 'string',
      format: 'amqp-uri',
      'x-secret-parts': 'value',
      description: 'AMQP broker URL (`amqp://` or `amqps://`); keep credentials in a variable.',
      examples: ['${RABBITMQ_URL}', 'amqp://127.0.0.1:5672'],
    },
    prefetch: { type: 'integer', minimum: 1, description: 'Unacknowledged messages a consumer may hold at once.', default: DEFAULTS.message_queue.prefetch, examples: [10] },
    queues: {
      type: 'array',
      minItems: 1,
      description: 'Queues to declare, each optionally bound to an exchange.',
      items: {
        type: 'object',
        description: 'A queue and its binding.',
        required: ['name'],
        properties: {
          name: { type: 'string', description: 'Queue name; publishers name it as their `destination`.', examples: ['task_queue'] },
          exchange: { type: 'string', description: 'Exchange the queue is bound to; declared if missing. Without it, messages go through the default exchange.', examples: ['simone_exchange'] },
          exchange_type: { enum: list(EXCHANGE_TYPES), description: 'Exchange type: how it routes messages to bound queues by routing key.', default: DEFAULTS.message_queue.exchange_type, examples: ['direct'] },
          routing_key: { type: 'string', description: 'Binding key (a pattern for topic exchanges) and the key messages are published with.', examples: ['task.processing'] },
          durable: { type: 'boolean', description: 'Whether the queue and exchange survive a broker restart.', default: DEFAULTS.message_queue.durable, examples: [false] },
        },
        additionalProperties: false,
      },
      examples: [[{ name: 'task_queue', exchange: 'simone_exchange', routing_key: 'task.processing' }]],
    },
  }),

  webhook: integrationOfType('webhook', 'Sends signed webhooks for events and receives signed webhooks on a local port.', ['endpoints'], {
    endpoints: {
      type: 'array',
      minItems: 1,
      description: 'Webhook endpoints: outgoing to `url`, and incoming at `POST {path_prefix}/{name}` when a receiver is set.',
      items: {
        type: 'object',
        description: 'A webhook endpoint.',
        required: ['name'],
        properties: {
          name: { type: 'string', description: 'Endpoint name; also the last path segment of its incoming route.', examples: ['github_webhook'] },
          url: { type: 'string', format: 'uri', 'x-secret-parts': 'url-path', description: 'URL that outgoing webhooks are POSTed to; without it the endpoint only receives.', examples: ['https://hooks.slack.com/services/${SLACK_HOOK_PATH}'] },
          events: eventList('Events that are sent to this endpoint as webhooks.'),
          secret: secret('Key that signs outgoing and verifies incoming payloads; without it the endpoint is unsigned (a warning).', ['${GITHUB_WEBHOOK_SECRET}']),
          signature: {
            enum: list(SIGNATURE_SCHEMES),
            description: 'Signature scheme: `github` (X-Hub-Signature-256), `standard` (Standard Webhooks), `slack` (v0), `stripe`, or `none`.',
            default: DEFAULTS.webhook.signature,
            examples: ['standard'],
          },
        },
        additionalProperties: false,
      },
      examples: [[{ name: 'github_webhook', url: 'https://example.com/hook', events: ['task_completed'], secret: '${GITHUB_WEBHOOK_SECRET}' }]],
    },
    receiver: {
      type: 'object',
      description: 'Local HTTP server for incoming webhooks, verified with each endpoint\'s secret and scheme.',
      properties: {
        host: { type: 'string', description: 'Address to bind; loopback unless you say otherwise.', default: DEFAULTS.receiver.host, examples: ['127.0.0.1', '0.0.0.0'] },
        port: port('Port the receiver listens on; 0 or absent picks a free port.', [8090, 0]),
        path_prefix: { type: 'string', pattern: '^/', description: 'Path before the endpoint name in incoming routes.', default: DEFAULTS.receiver.path_prefix, examples: ['/webhook'] },
        tolerance: duration('How old a signed timestamp may be before a delivery is rejected as a replay.', DEFAULTS.receiver.tolerance, ['5m']),
        max_body: {
          type: ['string', 'integer'],
          format: 'byte-size',
          description: 'Largest accepted body: bytes, or a size such as `512KB`, `1MB`.',
          default: DEFAULTS.receiver.max_body,
          examples: ['1MB', 65536],
        },
      },
      additionalProperties: false,
      examples: [{ port: 8090 }],
    },
  }),

  database: integrationOfType('database', 'Syncs Simone project data (or another table) into PostgreSQL or embedded PGlite.', ['connections', 'sync_tables'], {
    connections: {
      type: 'array',
      minItems: 1,
      description: 'Databases to write to; the first is the default for `sync_tables`.',
      items: ref('connection', { description: 'A database connection: PostgreSQL or embedded PGlite.' }),
      examples: [[{ name: 'local', type: 'pglite', path: '.simone/data/pglite' }]],
    },
    sync_tables: {
      type: 'array',
      minItems: 1,
      description: 'Tables to sync: what to copy where, and when.',
      items: ref('sync_table', { description: 'One source copied into one target table.' }),
      examples: [[{ source: 'milestones', target: 'project_milestones', sync_frequency: 'hourly' }]],
    },
  }),

  connection: {
    type: 'object',
    description: 'A database connection: PostgreSQL (host/port/... or `url`) or embedded PGlite (a data folder `path`).',
    required: ['name'],
    properties: {
      name: { type: 'string', description: 'Connection name; `sync_tables` name it in `connection` and in `<connection>.<table>` sources.', examples: ['analytics_db'] },
      type: { enum: list(CONNECTION_TYPES), description: '`postgresql` for a server, `pglite` for embedded PostgreSQL in a local folder. Default: `postgresql` when `host` or `url` is given, else `pglite`.', default: DEFAULTS.connection.type, examples: ['postgresql'] },
      host: { type: 'string', description: 'Host name or address of the PostgreSQL server.', examples: ['analytics.db.company.com', '127.0.0.1'] },
      port: port('TCP port of the PostgreSQL server.', [5432], 5432),
      database: { type: 'string', description: 'Name of the database on the PostgreSQL server.', examples: ['analytics'] },
      schema: { type: 'string', description: 'Schema that target tables live in.', default: DEFAULTS.connection.schema, examples: ['simone_data'] },
      user: { type: 'string', description: 'PostgreSQL user to connect as.', examples: ['simone'] },
      password: secret('Password of `user`.', ['${ANALYTICS_DB_PASSWORD}']),
      url: { type: 'string', format: 'postgres-uri', 'x-secret-parts': 'value', description: 'Connection URL (`postgres://` or `postgresql://`) instead of host/port/database/user; keep credentials in a variable.', examples: ['${DATABASE_URL}'] },
      ssl: { type: 'boolean', description: 'Whether to connect with TLS.', default: DEFAULTS.connection.ssl, examples: [true] },
      path: { type: 'string', description: 'PGlite data folder, relative to the workspace folder.', examples: ['.simone/data/pglite'] },
    },
    additionalProperties: false,
  },

  sync_table: {
    type: 'object',
    description: 'One source copied into one target table.',
    required: ['source', 'target'],
    properties: {
      source: {
        type: 'string',
        'x-reference': 'sync-source',
        description: 'A Simone entity set (`milestones`, `sprints`, `tasks`) or `<connection>.<table>`.',
        examples: ['milestones', 'tasks', 'analytics_db.events'],
      },
      target: { type: 'string', description: 'Table written in the connection\'s `schema`; created if missing.', examples: ['project_milestones'] },
      sync_frequency: {
        enum: list(SYNC_FREQUENCIES),
        description: 'When the sync runs: `real_time` on every change, `hourly`, `daily`, or only when asked (`manual`).',
        default: DEFAULTS.sync_table.sync_frequency,
        examples: ['hourly'],
      },
      connection: { type: 'string', 'x-reference': 'connection', description: 'Connection the target lives in; defaults to the first connection.', examples: ['analytics_db'] },
      key: {
        description: 'Key column(s) that identify a row; defaults to the source\'s id or primary key.',
        oneOf: [
          { type: 'string', description: 'One key column.', examples: ['milestone_id'] },
          { type: 'array', minItems: 1, items: { type: 'string', description: 'A key column.', examples: ['task_id'] }, description: 'Several key columns.', examples: [['sprint_id', 'task_id']] },
        ],
      },
      mode: {
        enum: list(SYNC_MODES),
        description: '`incremental` writes only rows whose content changed; `full` rewrites every row.',
        default: DEFAULTS.sync_table.mode,
        examples: ['full'],
      },
      delete: {
        enum: list(DELETE_POLICIES),
        description: 'What happens to target rows whose source row is gone: kept (`ignore`) or deleted (`propagate`).',
        default: DEFAULTS.sync_table.delete,
        examples: ['propagate'],
      },
      columns: {
        description: 'Columns to keep: a list of source columns, or a map `source_column: target_column`. Absent: every column.',
        oneOf: [
          { type: 'array', minItems: 1, items: { type: 'string', description: 'A source column.', examples: ['title'] }, description: 'Source columns kept under their own names.', examples: [['milestone_id', 'title', 'status']] },
          {
            type: 'object',
            minProperties: 1,
            additionalProperties: { type: 'string', description: 'The target column.', examples: ['milestone_title'] },
            description: 'Source column to target column.',
            examples: [{ title: 'milestone_title' }],
          },
        ],
      },
      filter: {
        type: 'object',
        description: 'Rows must match every entry: `column: value`, or `column: [values]` for any of several.',
        additionalProperties: {
          description: 'Value the column must equal, or a list of allowed values.',
          oneOf: [
            { type: ['string', 'number', 'boolean', 'null'], description: 'The value the column must equal.', examples: ['active'] },
            { type: 'array', items: { type: ['string', 'number', 'boolean', 'null'], description: 'An allowed value.', examples: ['done'] }, description: 'Allowed values.', examples: [['open', 'in_progress']] },
          ],
        },
        examples: [{ status: ['active', 'completed'] }],
      },
    },
    additionalProperties: false,
  },

  retry: {
    type: 'object',
    description: 'Retry with exponential backoff: the delay before retry k is `base_delay * backoff_factor^(k-1)`, capped at `max_delay`, jittered into its upper half.',
    properties: {
      max_attempts: { type: 'integer', minimum: 1, description: 'Every attempt, the first included: 4 means 1 call and up to 3 retries.', default: DEFAULTS.retry.max_attempts, examples: [4] },
      base_delay: duration('Delay before the first retry.', DEFAULTS.retry.base_delay, ['1s', '250ms']),
      max_delay: duration('Longest delay between retries.', DEFAULTS.retry.max_delay, ['60s']),
      backoff_factor: { type: 'number', minimum: 1, description: 'How much each delay grows over the one before.', default: DEFAULTS.retry.backoff_factor, examples: [2.0, 1.5] },
      jitter: { type: 'boolean', description: 'Randomise each delay within its upper half, so clients do not retry in lockstep.', default: DEFAULTS.retry.jitter, examples: [false] },
    },
    additionalProperties: false,
    examples: [{ max_attempts: 4, base_delay: '1s', max_delay: '60s', backoff_factor: 2.0, jitter: true }],
  },

  circuit_breaker: {
    type: 'object',
    description: 'Opens after consecutive failures, fails fast while open, then lets trial calls through.',
    properties: {
      failure_threshold: { type: 'integer', minimum: 1, description: 'Consecutive failures that open the breaker.', default: DEFAULTS.circuit_breaker.failure_threshold, examples: [5] },
      timeout: duration('How long the breaker stays open before trial calls.', DEFAULTS.circuit_breaker.timeout, ['60s']),
      half_open_max_calls: { type: 'integer', minimum: 1, description: 'Trial calls allowed while half-open.', default: DEFAULTS.circuit_breaker.half_open_max_calls, examples: [1] },
    },
    additionalProperties: false,
    examples: [{ failure_threshold: 5, timeout: '60s' }],
  },

  bulkhead: {
    type: 'object',
    description: 'Isolated concurrency for this integration.',
    properties: {
      max_concurrent: { type: 'integer', minimum: 1, description: 'Calls that may run at once.', default: DEFAULTS.bulkhead.max_concurrent, examples: [10] },
      max_queue: { type: 'integer', minimum: 0, description: 'Calls that may wait for a free slot; more are rejected at once.', default: DEFAULTS.bulkhead.max_queue, examples: [0, 20] },
    },
    additionalProperties: false,
    examples: [{ max_concurrent: 10, max_queue: 0 }],
  },

  rate_limit: rateLimit,

  auth: {
    type: 'object',
    description: 'How requests authenticate; `type` picks the scheme and its keys.',
    required: ['type'],
    properties: {
      type: {
        enum: list(AUTH_TYPES),
        description: 'The authentication scheme: `oauth2_client_credentials`, `bearer`, `api_key`, `basic` or `jwt`.',
        examples: list(AUTH_TYPES),
      },
    },
    allOf: discriminate(AUTH_TYPES, (type) => `auth_${type}`),
  },

  auth_oauth2_client_credentials: authOfType('oauth2_client_credentials', 'OAuth 2.0 client credentials: a token is fetched from `token_url` and sent as a bearer token.', ['token_url', 'client_id', 'client_secret'], {
    token_url: { type: 'string', format: 'uri', description: 'Token endpoint of the authorization server.', examples: ['https://auth.example.com/oauth/token'] },
    client_id: { type: 'string', description: 'Client id registered with the authorization server.', examples: ['${CLIENT_ID}'] },
    client_secret: secret('Client secret.', ['${CLIENT_SECRET}']),
    scope: { type: 'string', description: 'Space-separated scopes to request with the token; none when absent.', examples: ['read:users write:users'] },
  }),

  auth_bearer: authOfType('bearer', 'A fixed bearer token in the Authorization header.', ['token'], {
    token: secret('The bearer token.', ['${API_TOKEN}']),
  }),

  auth_api_key: authOfType('api_key', 'An API key sent in a request header.', ['key'], {
    key: secret('The API key.', ['${API_KEY}']),
    header: { type: 'string', description: 'Header that carries the key.', default: DEFAULTS.auth.api_key_header, examples: ['X-API-Key', 'Authorization'] },
  }),

  auth_basic: authOfType('basic', 'HTTP Basic authentication.', ['username', 'password'], {
    username: { type: 'string', description: 'User name sent with Basic authentication.', examples: ['simone'] },
    password: { ...secret('Password.', ['${API_PASSWORD}']), 'x-secret-pair': 'username' },
  }),

  auth_jwt: authOfType('jwt', 'A JWT signed with a shared secret (HMAC), sent as a bearer token.', ['secret'], {
    secret: secret('Key the token is signed with.', ['${JWT_SECRET}']),
    algorithm: { enum: list(JWT_ALGORITHMS), description: 'HMAC algorithm the token is signed with.', default: DEFAULTS.auth.jwt_algorithm, examples: ['HS256'] },
    claims: { type: 'object', description: 'Claims put into every token, besides `iat` and `exp`.', examples: [{ sub: 'simone', aud: 'user-service' }] },
  }),

  health_check: healthCheck('What "healthy" means: a GET of `path` (joined to `base_url`) or `url` answered with an expected status in time.', {
    path: { type: 'string', pattern: '^/', description: 'Path joined to the integration\'s `base_url`; use either this or `url`.', examples: ['/health'] },
    url: { type: 'string', format: 'uri', description: 'Absolute URL to check; use either this or `path`.', examples: ['https://api.userservice.com/health'] },
  }),
  health_check_url: healthCheck('How this integration is checked: its own check (broker, destinations, database) on this schedule, and a GET of `url`, when given, answered with an expected status in time.', {
    url: { type: 'string', format: 'uri', description: 'Absolute URL to GET as well, e.g. a RabbitMQ management API health check.', examples: ['http://127.0.0.1:15672/api/health/checks/alarms'] },
  }),

  microservices: {
    type: 'object',
    description: 'The services of a microservice architecture, how they are found and how they talk.',
    required: ['services'],
    properties: {
      discovery: {
        type: 'object',
        description: 'How services are found: `static` (their `url`) or a Consul agent.',
        properties: {
          type: { enum: list(DISCOVERY_TYPES), description: '`static` uses each service\'s `url`; `consul` asks a Consul agent.', default: DEFAULTS.discovery.type, examples: ['consul'] },
          host: { type: 'string', description: 'Host of the Consul agent (consul discovery).', default: DEFAULTS.discovery.consul_host, examples: ['consul.service.company.com'] },
          port: port('HTTP(S) port of the Consul agent (consul discovery): usually 8500, or 8501 over https.', [8500, 8501], DEFAULTS.discovery.consul_port),
          scheme: { enum: list(DISCOVERY_SCHEMES), description: 'How the Consul agent is reached (consul discovery): `http`, or `https` (verified TLS).', default: DEFAULTS.discovery.scheme, examples: ['https'] },
          token: secret('Consul ACL token, sent as `X-Consul-Token` (consul discovery).', ['${CONSUL_HTTP_TOKEN}']),
        },
        additionalProperties: false,
        examples: [{ type: 'consul', host: 'consul.service.company.com', port: 8500 }],
      },
      services: {
        type: 'array',
        minItems: 1,
        description: 'The services of the architecture; gateway routes name them.',
        items: {
          type: 'object',
          description: 'A service.',
          required: ['name'],
          properties: {
            name: { type: 'string', description: 'Service name, unique in the workspace; gateway routes refer to it.', examples: ['user_service'] },
            url: {
              type: 'string',
              format: 'uri',
              description: 'Base URL of the service: required with static discovery; with consul optional, giving only the scheme and base path (Consul gives each instance\'s host and port).',
              examples: ['http://127.0.0.1:3001'],
            },
            health_check: { type: 'string', format: 'path-or-url', description: 'Health path (joined to `url`) or absolute http(s) URL.', examples: ['/health'] },
            load_balancer: {
              enum: list(LOAD_BALANCERS),
              description: 'How calls are spread over the service\'s instances.',
              default: DEFAULTS.service.load_balancer,
              examples: ['least_connections'],
            },
          },
          additionalProperties: false,
        },
        examples: [[{ name: 'user_service', url: 'http://127.0.0.1:3001', health_check: '/health' }]],
      },
      communication: {
        type: 'object',
        description: 'How services call each other: protocol, timeout and retries.',
        properties: {
          type: {
            enum: list(COMMUNICATION_TYPES),
            description: 'Protocol between services. `grpc` is accepted but not run: health only checks that such services accept TCP connections, and `test` does not call them.',
            default: DEFAULTS.communication.type,
            examples: ['http'],
            'x-not-run': { grpc: 'gRPC is validated but not run: health only checks that each service accepts TCP connections, and `test` does not call gRPC services.' },
          },
          timeout: duration('How long one call may take.', DEFAULTS.communication.timeout, ['30s']),
          retries: { type: 'integer', minimum: 0, description: 'Retries after the first attempt.', default: DEFAULTS.communication.retries, examples: [3] },
        },
        additionalProperties: false,
        examples: [{ type: 'http', timeout: '30s', retries: 3 }],
      },
    },
    additionalProperties: false,
  },

  api_gateway: {
    type: 'object',
    description: 'An API gateway routing paths to microservices.',
    required: ['routes'],
    properties: {
      host: { type: 'string', description: 'Host the gateway serves.', default: DEFAULTS.gateway.host, examples: ['api.company.com'] },
      port: port('Port the gateway listens on.', [443, 8080], DEFAULTS.gateway.port),
      ssl: { type: 'boolean', description: 'Whether the gateway serves HTTPS.', default: DEFAULTS.gateway.ssl, examples: [true] },
      authentication: {
        type: 'object',
        description: 'How clients authenticate to the gateway.',
        required: ['type'],
        properties: {
          type: { enum: list(GATEWAY_AUTH_TYPES), description: 'How clients authenticate to the gateway.', examples: ['jwt'] },
          secret: secret('The JWT signing key, the API key, or the OAuth2 client secret.', ['${JWT_SECRET}']),
          algorithm: { enum: list(JWT_ALGORITHMS), description: 'jwt: HMAC algorithm the test token is signed with.', default: DEFAULTS.auth.jwt_algorithm, examples: ['HS256'] },
          claims: {
            type: 'object',
            description: `jwt: claims of the test token; \`iss\` and \`sub\` are \`${DEFAULTS.gateway.jwt_subject}\` unless given here, \`iat\` and \`exp\` are always set.`,
            examples: [{ iss: 'https://auth.company.com', aud: 'api' }],
          },
          header: { type: 'string', description: 'api_key: header that carries the key.', default: DEFAULTS.auth.api_key_header, examples: ['X-API-Key'] },
          token_url: { type: 'string', format: 'uri', description: 'oauth2: token endpoint the client credentials go to (required for oauth2).', examples: ['https://auth.company.com/oauth/token'] },
          client_id: { type: 'string', description: 'oauth2: client id; `secret` is its client secret (required for oauth2).', examples: ['${CLIENT_ID}'] },
          scope: { type: 'string', description: 'oauth2: scope asked for.', examples: ['api.read'] },
        },
        // The client credentials grant needs its endpoint and client id besides the secret.
        allOf: [{ if: { properties: { type: { const: 'oauth2' } }, required: ['type'] }, then: { required: ['token_url', 'client_id', 'secret'] } }],
        additionalProperties: false,
        examples: [{ type: 'jwt', secret: '${JWT_SECRET}' }],
      },
      routes: {
        type: 'array',
        minItems: 1,
        description: 'Paths the gateway serves and the services they go to.',
        items: {
          type: 'object',
          description: 'A route.',
          required: ['path', 'service'],
          properties: {
            path: { type: 'string', pattern: '^/', description: 'Path prefix this route matches, starting with a slash.', examples: ['/simone/milestones'] },
            service: { type: 'string', 'x-reference': 'service', description: 'A `microservices` service somewhere in the workspace.', examples: ['milestone_service'] },
            methods: {
              type: 'array',
              minItems: 1,
              items: { enum: list(HTTP_METHODS), description: 'An HTTP method.', examples: ['GET'] },
              description: 'Methods this route accepts; all when absent.',
              examples: [['GET', 'POST']],
            },
          },
          additionalProperties: false,
        },
        examples: [[{ path: '/simone/milestones', service: 'milestone_service', methods: ['GET'] }]],
      },
      rate_limiting: ref('rate_limit', { description: 'Limit on client requests through the gateway.' }),
    },
    additionalProperties: false,
  },
};

/**
 * Descriptions are written once with `code` marks. Editors get them as
 * `markdownDescription`; `description` becomes the plain-text form. Both end
 * with the default, so every hover names it.
 */
function withEditorText(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node) as Array<[keyof JsonSchema, unknown]>) {
    if (key === 'description') {
      const defaultText = node.default === undefined || typeof node.default === 'object' ? '' : ` Default: \`${String(node.default)}\`.`;
      const markdown = node.description + defaultText;
      out.description = markdown.replace(/`/g, '');
      if (node.markdownDescription === undefined && markdown.includes('`')) out.markdownDescription = markdown;
    } else {
      Object.assign(out, { [key]: value });
    }
  }
  if (node.properties) out.properties = mapValues(node.properties, withEditorText);
  if (node.additionalProperties) out.additionalProperties = withEditorText(node.additionalProperties);
  if (node.items) out.items = withEditorText(node.items);
  if (node.oneOf) out.oneOf = node.oneOf.map(withEditorText);
  return out;
}

const mapValues = (record: Record<string, JsonSchema>, map: (node: JsonSchema) => JsonSchema): Record<string, JsonSchema> =>
  Object.fromEntries(Object.entries(record).map(([key, node]) => [key, map(node)]));

export const integrationSchema: RootSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  ...withEditorText({
    description: 'A Simone integration document: exactly one of `integration`, `microservices` or `api_gateway`.',
    type: 'object',
    properties: {
      integration: ref('integration', { description: 'An integration with an external system; `type` picks the pattern.' }),
      microservices: ref('microservices', { description: 'Service discovery, the services and how they communicate.' }),
      api_gateway: ref('api_gateway', { description: 'An API gateway: host, authentication, routes and rate limiting.' }),
    },
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
  }),
  definitions: mapValues(definitions, withEditorText),
};
