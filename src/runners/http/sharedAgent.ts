import { Agent } from 'undici';

let agent: Agent | undefined;

/** One undici Agent for every runner: it keeps a connection pool per origin, so calls reuse connections. */
export function sharedAgent(): Agent {
  agent ??= new Agent({ keepAliveTimeout: 10_000, connections: 64 });
  return agent;
}

/** Closes the pools (at exit, or between tests); the next call opens a new agent. */
export async function closeSharedAgent(): Promise<void> {
  const closing = agent;
  agent = undefined;
  await closing?.close();
}
