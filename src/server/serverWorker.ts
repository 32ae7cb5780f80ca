import { parentPort, workerData } from 'node:worker_threads';
import { findIntegrationFiles } from '../core/integrationFiles';
import { runCheckWorker } from './checkWorker';
import type { WorkerJob } from './workerThread';

// The entry of the language server's worker threads (bundled to dist/serverWorker.js).
const job = workerData as WorkerJob;
if (job.job === 'check') runCheckWorker(parentPort!, job);
else parentPort!.postMessage(findIntegrationFiles(job.folder).files);
