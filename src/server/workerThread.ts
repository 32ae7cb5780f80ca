import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { CheckJob } from './checkProtocol';

export type WorkerJob = CheckJob | { job: 'find-integration-files'; folder: string };

const RUNNING_FROM_SOURCE = extname(__filename) === '.ts';
/** The entry beside this module: dist/serverWorker.js in the bundle, src/server/serverWorker.ts from source. */
const WORKER_SCRIPT = join(__dirname, `serverWorker${extname(__filename)}`);

/** Starts one of the server's worker threads (src/server/serverWorker.ts). */
export function startWorkerThread(job: WorkerJob, resourceLimits?: ResourceLimits): Worker {
  const worker = new Worker(WORKER_SCRIPT, {
    workerData: job,
    // From source (tests run the server through tsx), a worker loads TypeScript only through tsx's CommonJS
    // hook: Node 20 workers do not inherit the ESM hooks `--import tsx` registers. (Resolved at run time:
    // the bundle never takes this branch and must not bundle tsx.)
    execArgv: RUNNING_FROM_SOURCE ? ['--require', createRequire(__filename).resolve('tsx/cjs')] : undefined,
    resourceLimits,
    stdout: true,
    stderr: true,
  });
  // Under --stdio the process's stdout is the LSP stream: nothing a worker prints may reach it.
  worker.stdout.resume();
  worker.stderr.resume();
  worker.unref();
  return worker;
}

/** `findIntegrationFiles` in a worker thread: the walk is synchronous, and a huge folder (`/usr`) takes seconds. */
export function findIntegrationFilesInWorker(folder: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = startWorkerThread({ job: 'find-integration-files', folder });
    worker.once('message', (paths: string[]) => {
      resolve(paths);
      void worker.terminate();
    });
    worker.once('error', reject);
    // Settles nothing once the answer came.
    worker.once('exit', (code) => reject(new Error(`the walk of ${folder} ended (exit code ${code}) before it answered`)));
  });
}
