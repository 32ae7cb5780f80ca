/**
 * A real RabbitMQ broker (Debian `rabbitmq-server`) for tests: a private node in
 * a temp folder on random loopback ports, stopped at the end.
 *
 * Quirks this works around (RabbitMQ 3.10 on Debian 12):
 * - `/usr/sbin/rabbitmq-server` is a wrapper that, run as root, `su`s to the
 *   `rabbitmq` user and resets HOME; we run the real script
 *   (`/usr/lib/rabbitmq/bin/...`) ourselves and drop to that user through
 *   spawn's uid/gid, so our environment (HOME, cookie, ports) survives. Every
 *   folder it writes to is therefore chowned to `rabbitmq`. Run as another user,
 *   the broker simply runs as that user.
 * - HOME is a private folder holding `.erlang.cookie` (mode 0400, or Erlang
 *   refuses it), so `rabbitmqctl` talks only to this node, never to another
 *   broker on the machine.
 * - Erlang's port mapper (epmd) is shared machine-wide on 4369 by default and
 *   outlives the broker; ERL_EPMD_PORT gives each broker its own epmd, which
 *   `stop()` ends with `epmd -kill`. The node name carries the pid and a counter
 *   so brokers of parallel test files never clash.
 * - `/etc/rabbitmq/rabbitmq-env.conf` and the system plugin list would leak
 *   into the node: RABBITMQ_CONF_ENV_FILE and RABBITMQ_ENABLED_PLUGINS_FILE
 *   point at empty private files (no management plugin: faster boot, no port 15672).
 * - The AMQP port opens a few seconds after the process starts (~7 s on a busy
 *   2-core machine), and only once the node is ready, so readiness is "an AMQP
 *   connection succeeds".
 * - The script is a shell that runs `erl` as its child; the broker gets its own
 *   process group so the fallback kill reaches both.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'amqplib';

export interface RabbitMqBroker {
  /** `amqp://guest:guest@127.0.0.1:PORT` (guest may log in from loopback). */
  readonly url: string;
  readonly port: number;
  readonly nodeName: string;
  /**
   * Stops the node and starts it again on the same port with the same data:
   * gracefully (`rabbitmqctl stop`), or with `crash` by SIGKILL, as a power cut would.
   */
  restart(options?: { crash?: boolean }): Promise<void>;
  /** Stops the node and removes its folder. */
  stop(): Promise<void>;
}

const SCRIPT_DIRS = ['/usr/lib/rabbitmq/bin', '/usr/lib/rabbitmq/sbin'];
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;
let brokerCount = 0;

function script(name: string): string {
  const dir = SCRIPT_DIRS.find((candidate) => existsSync(join(candidate, name)));
  return dir ? join(dir, name) : name;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** The user the broker runs as: `rabbitmq` when we are root, else ourselves. */
function brokerUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((line) => line.startsWith('rabbitmq:'));
  if (!entry) throw new Error('running as root but there is no "rabbitmq" user: is rabbitmq-server installed?');
  const [, , uid, gid] = entry.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether Debian's `rabbitmq-server` is installed (its scripts, or the command on PATH). */
export function rabbitMqInstalled(): boolean {
  if (SCRIPT_DIRS.some((dir) => existsSync(join(dir, 'rabbitmq-server')))) return true;
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, 'rabbitmq-server')));
}

/** `port`: the AMQP port to listen on (default a free one); distribution and epmd ports are always free ones. */
export async function startRabbitMq(options: { port?: number } = {}): Promise<RabbitMqBroker> {
  const user = brokerUser();
  const base = mkdtempSync(join(tmpdir(), 'simone-rabbitmq-'));
  const home = join(base, 'home');
  for (const dir of [home, join(base, 'mnesia'), join(base, 'log')]) mkdirSync(dir);
  writeFileSync(join(home, '.erlang.cookie'), `SIMONETEST${process.pid}X${Date.now()}`);
  chmodSync(join(home, '.erlang.cookie'), 0o400);
  writeFileSync(join(base, 'rabbitmq-env.conf'), '');
  writeFileSync(join(base, 'enabled_plugins'), '[].\n');
  // A config file in the new format with nothing in it would be fine too; this keeps boot quiet.
  writeFileSync(join(base, 'rabbitmq.conf'), 'log.console = false\nlog.file.level = info\n');
  if (user) for (const path of [base, home, join(home, '.erlang.cookie'), join(base, 'mnesia'), join(base, 'log'), join(base, 'enabled_plugins'), join(base, 'rabbitmq.conf'), join(base, 'rabbitmq-env.conf')]) chownSync(path, user.uid, user.gid);

  const [port, distPort, epmdPort] = [options.port ?? (await freePort()), await freePort(), await freePort()];
  const nodeName = `rabbit-${process.pid}-${++brokerCount}@localhost`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C.UTF-8',
    HOME: home,
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(base, 'mnesia'),
    RABBITMQ_LOG_BASE: join(base, 'log'),
    RABBITMQ_CONF_ENV_FILE: join(base, 'rabbitmq-env.conf'),
    RABBITMQ_CONFIG_FILE: join(base, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(base, 'enabled_plugins'),
    RABBITMQ_PID_FILE: join(base, 'rabbitmq.pid'),
  };
  const url = `amqp://guest:guest@127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';

  const killGroup = () => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  // A test run that dies without stop() must not leave a broker behind.
  process.once('exit', killGroup);

  const logTail = () => {
    let log = '';
    try {
      log = readFileSync(join(base, 'log', `${nodeName}.log`), 'utf8');
    } catch {
      // no log yet
    }
    return (output + log).split('\n').slice(-25).join('\n');
  };

  const start = async () => {
    output = '';
    const started = spawn(script('rabbitmq-server'), [], { cwd: base, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...user });
    child = started;
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    started.stdout?.on('data', collect);
    started.stderr?.on('data', collect);
    let exited = false;
    started.once('exit', () => (exited = true));
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (exited) throw new Error(`rabbitmq-server exited during start:\n${logTail()}`);
      try {
        const connection = await connect(url, { timeout: 2000 });
        await connection.close();
        return;
      } catch {
        if (Date.now() > deadline) {
          killGroup();
          throw new Error(`rabbitmq-server did not accept AMQP connections on ${port} within ${START_TIMEOUT_MS / 1000} s:\n${logTail()}`);
        }
        await sleep(250);
      }
    }
  };

  const stopNode = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    const ctl = spawn(script('rabbitmqctl'), ['-n', nodeName, 'stop'], { cwd: base, env, stdio: 'ignore', ...user });
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_TIMEOUT_MS)))]);
    clearTimeout(timer);
    ctl.kill('SIGKILL');
    if (!stopped) {
      killGroup();
      await exited;
    }
  };

  await start();
  return {
    url,
    port,
    nodeName,
    restart: async (options = {}) => {
      if (options.crash && child) {
        const exited = new Promise((resolve) => child?.once('exit', resolve));
        killGroup();
        await exited;
      } else await stopNode();
      await start();
    },
    stop: async () => {
      await stopNode();
      process.removeListener('exit', killGroup);
      spawnSync('epmd', ['-kill'], { env, stdio: 'ignore', timeout: 5000 });
      rmSync(base, { recursive: true, force: true });
    },
  };
}
