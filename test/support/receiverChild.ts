// A webhook receiver alone in its process, so a test or the bench can read its memory: it prints
// `{"port", "path"}` as one JSON line once listening, and answers each line "rss" on stdin with its peak RSS in KB.
import { createInterface } from 'node:readline';
import { WebhookReceiver } from '../../src/runners/webhook/webhookReceiver';
import { integrationFromYaml } from './integrationFromYaml';

const [yaml] = process.argv.slice(2);
const receiver = new WebhookReceiver(integrationFromYaml('webhook', yaml));
void receiver.start().then(({ port, url }) => {
  process.stdout.write(`${JSON.stringify({ port, path: new URL(url).pathname })}\n`);
  createInterface({ input: process.stdin }).on('line', () => process.stdout.write(`${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`));
  process.stdin.once('end', () => void receiver.stop().then(() => process.exit(0)));
});
