import { Position, Range, Uri, window } from 'vscode';
import type { Range as CoreRange } from '../core/diagnostic';

/** The engine names files by `file://` URI (or, before that lands everywhere, by absolute path). */
export function toVscodeUri(uri: string): Uri {
  return uri.startsWith('file:') ? Uri.parse(uri) : Uri.file(uri);
}

export function toVscodeRange(range: CoreRange): Range {
  return new Range(new Position(range.start.line, range.start.character), new Position(range.end.line, range.end.character));
}

/** Opens a definition with its name selected. */
export async function openLocation(location: { uri: string; range: CoreRange }): Promise<void> {
  await window.showTextDocument(toVscodeUri(location.uri), { selection: toVscodeRange(location.range), preview: true });
}
