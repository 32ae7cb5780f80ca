/** Waits until `check` holds, polling every 20 ms; fails after `timeoutMs` (15 s) naming `what` (read then). */
export async function until(check: () => boolean, what: string | (() => string), timeoutMs = 15_000): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > timeoutMs) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
