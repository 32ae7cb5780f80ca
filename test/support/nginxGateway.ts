/**
 * A real API gateway for tests: Debian's nginx on a free loopback port with a generated config, one
 * `location` per route proxying to a backend the test started, `limit_except` for the route's methods (a
 * refused method answers 405 with `Allow`), `limit_req` for the rate limit (429) and, with `tls`, HTTPS.
 *
 * How it runs without touching the machine's nginx:
 * - `-p PREFIX -c CONF -e ERRORLOG`: its own prefix folder holds the config, the pid file, the error log and
 *   every temp path, so nothing under /etc/nginx or /var/lib/nginx is read or written (`-e` stops nginx
 *   opening /var/log/nginx/error.log before it reads the config).
 * - `master_process off` and `daemon off`: one process, our child, that never switches user (as root a
 *   master would start its workers as `nobody`, who cannot read the private prefix). It stops on SIGQUIT.
 * - nginx lets `burst + 1` requests through at once (the request itself plus `burst` excess), while the
 *   config's `burst_size` is the number of requests at once (as the HTTP runner's token bucket has it):
 *   the zone gets `burst=burst_size-1`, `nodelay`.
 * - `dropConnections`: every request is answered with nginx's 444, which closes the connection without a
 *   response (a gateway that drops the connection).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './rabbitmq';

export interface NginxRoute {
  path: string;
  /** Methods the route takes; all when empty. */
  methods: readonly string[];
  /** `http://127.0.0.1:PORT` of the service behind it. */
  upstream: string;
}

export interface NginxGatewayOptions {
  routes: readonly NginxRoute[];
  /** Default 127.0.0.1. */
  host?: string;
  /** Default a free port. */
  port?: number;
  rateLimit?: { requestsPerMinute: number; burstSize: number };
  /** PEM texts; the gateway then serves HTTPS. */
  tls?: { certificate: string; key: string };
  dropConnections?: boolean;
}

export interface NginxGateway {
  readonly host: string;
  readonly port: number;
  /** `http(s)://host:port`. */
  readonly url: string;
  /** The error log so far (refused methods, limited requests, proxy failures). */
  errorLog(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
/** What a route path may hold, so it goes into the config as it is. */
const SAFE_PATH = /^\/[A-Za-z0-9._~\-/]*$/;
const TEMP_PATHS = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];

/** Debian's /usr/sbin/nginx, else nginx on PATH; undefined when neither is there. */
export function nginxBinary(): string | undefined {
  const candidates = ['/usr/sbin/nginx', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((folder) => join(folder, 'nginx'))];
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function routeBlock(route: NginxRoute, index: number): string {
  if (!SAFE_PATH.test(route.path)) throw new Error(`route path ${JSON.stringify(route.path)} has characters the test config does not quote`);
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(route.upstream)) throw new Error(`upstream ${route.upstream} is not http://127.0.0.1:PORT`);
  const methods = route.methods.join(' ');
  const refused = route.methods.length
    ? [`    limit_except ${methods} { deny all; }`, `    error_page 403 =405 @refused_${index};`]
    : [];
  return [`  location ${route.path} {`, ...refused, `    proxy_pass ${route.upstream};`, '  }', ...(route.methods.length ? [`  location @refused_${index} { add_header Allow "${route.methods.join(', ')}" always; return 405; }`] : [])].join('\n');
}

function gatewayConfig(prefix: string, host: string, port: number, options: NginxGatewayOptions): string {
  const { rateLimit, tls } = options;
  const limit = rateLimit && [
    `  limit_req_zone $binary_remote_addr zone=gateway:1m rate=${Math.max(1, Math.round(rateLimit.requestsPerMinute))}r/m;`,
    '  limit_req_status 429;',
  ];
  const server = [
    `    listen ${host}:${port}${tls ? ' ssl' : ''};`,
    ...(tls ? [`    ssl_certificate ${join(prefix, 'certificate.pem')};`, `    ssl_certificate_key ${join(prefix, 'key.pem')};`] : []),
    ...(rateLimit ? [`    limit_req zone=gateway burst=${Math.max(0, rateLimit.burstSize - 1)} nodelay;`] : []),
    '    proxy_http_version 1.1;',
    '    proxy_set_header Connection "";',
    ...(options.dropConnections ? ['    return 444;'] : []),
  ];
  return [
    'daemon off;',
    'master_process off;',
    `pid ${join(prefix, 'nginx.pid')};`,
    `error_log ${join(prefix, 'error.log')} warn;`,
    'events { worker_connections 512; }',
    'http {',
    '  access_log off;',
    ...TEMP_PATHS.map((name) => `  ${name}_temp_path ${join(prefix, 'temp', name)};`),
    ...(limit ?? []),
    '  server {',
    ...server,
    ...options.routes.map(routeBlock).map((block) => block.replace(/^/gm, '  ')),
    '    location / { return 404; }',
    '  }',
    '}',
    '',
  ].join('\n');
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startNginxGateway(options: NginxGatewayOptions): Promise<NginxGateway> {
  const binary = nginxBinary();
  if (!binary) throw new Error('nginx is not installed (apt-get install nginx; scripts/test-prerequisites.mjs does it)');
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  const prefix = mkdtempSync(join(tmpdir(), 'simone-nginx-'));
  for (const name of TEMP_PATHS) mkdirSync(join(prefix, 'temp', name), { recursive: true });
  if (options.tls) {
    writeFileSync(join(prefix, 'certificate.pem'), options.tls.certificate);
    writeFileSync(join(prefix, 'key.pem'), options.tls.key, { mode: 0o600 });
  }
  const configPath = join(prefix, 'nginx.conf');
  writeFileSync(configPath, gatewayConfig(prefix, host, port, options));
  const errorLogPath = join(prefix, 'error.log');
  const errorLog = () => {
    try {
      return readFileSync(errorLogPath, 'utf8');
    } catch {
      return '';
    }
  };

  let output = '';
  const child: ChildProcess = spawn(binary, ['-p', prefix, '-c', configPath, '-e', errorLogPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  // A test run that dies without stop() must not leave nginx behind.
  process.once('exit', kill);

  const stop = async () => {
    process.removeListener('exit', kill);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT');
      const timer = setTimeout(kill, STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    rmSync(prefix, { recursive: true, force: true });
  };

  const startedAt = Date.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const why = `${output}\n${errorLog()}`.trim();
      await stop();
      throw new Error(`nginx exited at start (${child.exitCode ?? child.signalCode}): ${why.slice(-1500)}`);
    }
    if (await canConnect(host, port)) break;
    if (Date.now() - startedAt > START_TIMEOUT_MS) {
      await stop();
      throw new Error(`nginx did not listen on ${host}:${port} within ${START_TIMEOUT_MS} ms: ${errorLog().slice(-1500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { host, port, url: `${options.tls ? 'https' : 'http'}://${host}:${port}`, errorLog, stop };
}
