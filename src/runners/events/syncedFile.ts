import { open } from 'node:fs/promises';

/** Creates `path` (failing if it exists) holding `content`, on disk before it resolves. */
export async function createSyncedFile(path: string, content: string | Buffer): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(content);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
