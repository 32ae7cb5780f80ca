import type { Dispatcher } from 'undici';
import { redact } from '../errors';

/** Enough of a body to read and show; the rest is drained, not kept. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface CapturedResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the response says JSON and it parses whole, else text (redacted either way). */
  body: unknown;
  /** Bytes received in all. */
  bytes: number;
  truncated: boolean;
}

/** Reads a whole response (so the connection can be reused), keeping the first MAX_BODY_BYTES. */
export async function captureResponse(response: Dispatcher.ResponseData, secrets: readonly string[]): Promise<CapturedResponse> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let bytes = 0;
  // Plain stream events: measurably cheaper per response than `for await` over the body.
  await new Promise<void>((resolve, reject) => {
    const body = response.body;
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (kept < MAX_BODY_BYTES) {
        const part = kept + chunk.length > MAX_BODY_BYTES ? chunk.subarray(0, MAX_BODY_BYTES - kept) : chunk;
        chunks.push(part);
        kept += part.length;
      }
    });
    body.once('end', resolve);
    body.once('error', reject);
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = redact(Array.isArray(value) ? value.join(', ') : value, secrets);
  }
  const truncated = bytes > kept;
  const text = redact((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8'), secrets);
  return { status: response.statusCode, headers, body: truncated ? text : parseIfJson(text, headers['content-type']), bytes, truncated };
}

function parseIfJson(text: string, contentType: string | undefined): unknown {
  if (!text || !contentType || !/[/+]json\b/i.test(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
