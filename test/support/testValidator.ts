import { validate as builtIn, type Validate } from '../../src/server/validate';

/**
 * Validation that protocol tests give the server's check worker (`ServerOptions.validator`): a text holding
 * `# SLOW <ms>` blocks that long first (one synchronous rule, which no slicing could interrupt); a text holding
 * `CRASH` throws, with a credential in the message; anything else gets the built-in validation.
 */
export const TEST_VALIDATOR = __filename;

export const validate: Validate = (file, context) => {
  if (file.text.includes('CRASH')) throw new Error('validation exploded for amqp://user:hunter2@example.com');
  const slow = /# SLOW (\d+)/.exec(file.text);
  if (slow) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(slow[1]));
  return builtIn(file, context);
};
