/**
 * A real PostgreSQL server (Debian `postgresql`) for tests: `initdb` in a temp folder, started with `pg_ctl` on a
 * free loopback port, with a test database owned by a password-authenticated role; stopped and removed at the end.
 * Run as root, the server runs as the `postgres` user (PostgreSQL refuses root), so its folder is chowned to it.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './rabbitmq';

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  /** The test role and its database (password authentication over TCP). */
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** `postgresql://user:password@127.0.0.1:PORT/database` */
  readonly url: string;
  /** Another database owned by the test role; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL as the superuser in a database (default: the test database). */
  admin(sql: string, database?: string): Promise<void>;
  stop(): Promise<void>;
}

function binaryFolder(): string {
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const candidates = [fromConfig.status === 0 ? fromConfig.stdout.trim() : ''];
  if (existsSync('/usr/lib/postgresql')) {
    for (const version of readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))) candidates.push(join('/usr/lib/postgresql', version, 'bin'));
  }
  const found = candidates.find((folder) => folder && existsSync(join(folder, 'initdb')) && existsSync(join(folder, 'pg_ctl')));
  if (!found) throw new Error('PostgreSQL binaries (initdb, pg_ctl) not found: install the Debian "postgresql" package');
  return found;
}

function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync('/etc/passwd', 'utf8').split('\n').find((line) => line.startsWith('postgres:'));
  if (!entry) throw new Error('running as root but there is no "postgres" user');
  const [, , uid, gid] = entry.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function run(command: string, args: string[], user: { uid: number; gid: number } | undefined): void {
  const result = spawnSync(command, args, { encoding: 'utf8', ...user, env: { PATH: process.env.PATH, LANG: 'C.UTF-8' }, timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout || result.error?.message}`);
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = binaryFolder();
  const user = serverUser();
  const base = mkdtempSync(join(tmpdir(), 'simone-postgres-'));
  const data = join(base, 'data');
  const superPassword = `super${process.pid}${Date.now()}`;
  writeFileSync(join(base, 'pwfile'), superPassword);
  if (user) for (const path of [base, join(base, 'pwfile')]) chownSync(path, user.uid, user.gid);
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${join(base, 'pwfile')}`], user);
  const port = await freePort();
  // fsync off: a test server never outlives a power cut, and it spares the shared disk.
  const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=50`;
  run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(base, 'server.log'), '-w', '-t', '60', '-o', options, 'start'], user);

  const host = '127.0.0.1';
  const admin = async (sql: string, database = 'simone_test') => {
    const client = new Client({ host, port, user: 'postgres', password: superPassword, database });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const password = 'test-secret-pw';
  await admin(`CREATE ROLE simone_test LOGIN PASSWORD '${password}'`, 'postgres');
  await admin('CREATE DATABASE simone_test OWNER simone_test', 'postgres');
  const urlOf = (database: string) => `postgresql://simone_test:${password}@${host}:${port}/${database}`;
  return {
    host,
    port,
    user: 'simone_test',
    password,
    database: 'simone_test',
    url: urlOf('simone_test'),
    admin,
    async createDatabase(name) {
      await admin(`CREATE DATABASE ${name} OWNER simone_test`, 'postgres');
      return urlOf(name);
    },
    async stop() {
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], user);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}
