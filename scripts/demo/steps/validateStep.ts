import type { DemoContext } from './demoContext';

/** `validate`: the example workspace is clean (no errors, no warnings). */
export async function validateStep({ transcript, cli, workspaceArg }: DemoContext): Promise<void> {
  transcript.section('Validate the integration files');
  await transcript.step('validate', async () => {
    const run = await cli.run(['validate', workspaceArg]);
    const summary = run.stdout.trim().split('\n').at(-1) ?? '';
    return { outcome: run.code === 0 ? 'ok' : 'failed', detail: summary };
  });
}
