import { isAbsolute, relative } from 'node:path';
import { uriToPath } from '../core/uris';

/** How the command line prints a file (given as a `file://` URI or a path): relative to `cwd` when inside it, else absolute. */
export function displayPath(uriOrPath: string, cwd: string): string {
  const path = uriToPath(uriOrPath) ?? uriOrPath;
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** A message with the URIs of known files (a duplicate name "also used at <uri>:3") printed as paths. */
export function withDisplayPaths(message: string, uris: readonly string[], cwd: string): string {
  if (!message.includes('file:')) return message;
  return uris.reduce((text, uri) => (text.includes(uri) ? text.split(uri).join(displayPath(uri, cwd)) : text), message);
}
