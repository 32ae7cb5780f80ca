import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/usage';
import type { Transcript } from './transcript';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** How a run is shown: `display` replaces the printed arguments (a secret shown as its variable), `quiet` prints only the command. */
export interface RunDisplay {
  display?: string[];
  quiet?: boolean;
}

const quote = (arg: string) => (/^[\w./:=@,+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/**
 * The product's command line, run in-process through `main()` exactly as
 * `simone-integrations` runs it, with the demo's environment (process env over
 * the workspace's .env, as always) and its output printed into the transcript.
 */
export class DemoCli {
  constructor(
    private readonly transcript: Transcript,
    private readonly env: NodeJS.ProcessEnv,
    private readonly cwd: string,
    private readonly signal: AbortSignal,
  ) {}

  private io(signal: AbortSignal, stdout: (text: string) => void, stderr: (text: string) => void): CliIO {
    return { stdout, stderr, cwd: this.cwd, env: this.env, signal };
  }

  async run(args: string[], options: RunDisplay = {}): Promise<CliRun> {
    this.transcript.command(['simone-integrations', ...(options.display ?? args)].map(quote).join(' '));
    const run: CliRun = { code: 0, stdout: '', stderr: '' };
    const collect = (stream: 'stdout' | 'stderr') => (text: string) => {
      run[stream] += text;
      if (!options.quiet) this.transcript.output(text);
    };
    run.code = await main(args, this.io(this.signal, collect('stdout'), collect('stderr')));
    if (run.code !== 0 && options.quiet) this.transcript.output(run.stdout + run.stderr);
    return run;
  }

  /** A command that runs until stopped (`webhook listen`): its output is printed as it comes, prefixed, and handed to `listeners`. */
  start(args: string[], prefix: string, listeners: { stdout?: (text: string) => void; stderr?: (text: string) => void } = {}): { exited: Promise<number>; stop(): Promise<number> } {
    this.transcript.command(['simone-integrations', ...args].map(quote).join(' ') + ' &');
    const controller = new AbortController();
    const signal = AbortSignal.any([controller.signal, this.signal]);
    const forward = (listener?: (text: string) => void) => (text: string) => {
      this.transcript.output(text, prefix);
      listener?.(text);
    };
    const exited = main(args, this.io(signal, forward(listeners.stdout), forward(listeners.stderr)));
    return {
      exited,
      stop: () => {
        controller.abort();
        return exited;
      },
    };
  }
}
