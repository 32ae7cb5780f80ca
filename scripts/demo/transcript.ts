import { redact } from '../../src/runners/errors';

export type Outcome = 'ok' | 'failed' | 'skipped';

export interface StepResult {
  step: string;
  outcome: Outcome;
  /** One line: what the step showed, or why it failed or was skipped. */
  detail: string;
  ms: number;
}

const MARK: Record<Outcome, string> = { ok: '✔', failed: '✘', skipped: '–' };

/**
 * The demo's sectioned output. Every line goes through `redact` with every
 * secret the workspace holds: a service log or a command line that slipped one
 * would print `***`, never the value.
 */
export class Transcript {
  readonly results: StepResult[] = [];

  constructor(
    private readonly write: (text: string) => void,
    private secrets: readonly string[] = [],
  ) {}

  /** Secrets become known once the workspace is loaded. */
  addSecrets(secrets: Iterable<string>): void {
    this.secrets = [...new Set([...this.secrets, ...secrets])];
  }

  line(text = ''): void {
    this.write(redact(text, this.secrets) + '\n');
  }

  section(title: string): void {
    this.line();
    this.line(`━━ ${title} ${'━'.repeat(Math.max(3, 68 - title.length))}`);
  }

  /** A command as a user would type it (secrets shown as their variables). */
  command(text: string): void {
    this.line(`$ ${text}`);
  }

  /** Output of a command or a service, indented under what produced it. */
  output(text: string, indent = '  '): void {
    for (const line of text.replace(/\n$/, '').split('\n')) this.line(line ? indent + line : '');
  }

  /** Runs one step, times it and prints its result line (`✔ step: detail`); a throw is a failure, never a crash. */
  async step(step: string, run: () => Promise<Omit<StepResult, 'step' | 'ms'>>): Promise<StepResult> {
    const started = performance.now();
    let result: StepResult;
    try {
      result = { step, ...(await run()), ms: performance.now() - started };
    } catch (error) {
      result = { step, outcome: 'failed', detail: (error as Error).message.split('\n')[0], ms: performance.now() - started };
    }
    this.results.push(result);
    this.line(`${MARK[result.outcome]} ${result.step}: ${result.outcome === 'ok' ? '' : `${result.outcome.toUpperCase()}: `}${result.detail}`);
    return result;
  }

  summary(): void {
    this.section('Summary');
    const rows = [['STEP', 'RESULT', 'TIME'], ...this.results.map((result) => [result.step, result.outcome, `${(result.ms / 1000).toFixed(1)} s`])];
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    for (const row of rows) this.line(`  ${row.map((cell, column) => (column === 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('   ')}`);
    const counts = (['ok', 'failed', 'skipped'] as const).map((outcome) => `${this.results.filter((result) => result.outcome === outcome).length} ${outcome}`);
    this.line();
    this.line(`  ${counts.join(', ')}`);
  }

  get failed(): boolean {
    return this.results.some((result) => result.outcome === 'failed');
  }
}
