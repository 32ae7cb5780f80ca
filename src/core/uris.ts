import { fileURLToPath, pathToFileURL } from 'node:url';

/** Already canonical: nothing any client could spell differently (it is called for every lookup). */
const PLAIN_FILE_URI = /^file:\/\/\/[A-Za-z0-9/._-]*$/;

/**
 * One spelling per file: clients encode file URIs differently (`%3A`, `%40`, ...),
 * and the index must not hold the same file twice under two spellings.
 */
export function canonicalUri(uri: string): string {
  if (!uri.startsWith('file:') || PLAIN_FILE_URI.test(uri)) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

/** The file system path of a `file:` URI, or undefined for other schemes (untitled documents). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
