import { checkHostMessage, type HostMessage, type PageMessage } from '../../src/extension/webviews/protocol';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();

export function postToHost(message: PageMessage): void {
  vscode.postMessage(message);
}

/** Listens for the host's messages (checked first), then tells the host the page is ready for them. */
export function listen(onMessage: (message: HostMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const checked = checkHostMessage(event.data);
    if (checked.ok) onMessage(checked.message);
    else console.warn(`Simone webview: ignored a message: ${checked.error}`);
  });
  postToHost({ type: 'ready' });
}
