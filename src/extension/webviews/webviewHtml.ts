/**
 * The HTML of a webview page: one bundle, its stylesheets and the codicon font, under a strict content security
 * policy with a fresh nonce per load. Nothing inline runs: the only script is the bundle, carrying the nonce.
 */
import { randomBytes } from 'node:crypto';

export interface PageResources {
  title: string;
  /** The webview's `cspSource` (where its local resources come from). */
  cspSource: string;
  /** `asWebviewUri` of the page's bundle, its stylesheet and codicon.css (all under dist/webview/). */
  script: string;
  stylesheet: string;
  codicons: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * `style-src` allows the webview's own files (the page's stylesheet, codicon.css, also linked again inside each
 * vscode-icon's shadow root) and the nonce; vscode-elements styles its components with constructable stylesheets
 * (`adoptedStyleSheets`), which CSP does not govern, so no 'unsafe-inline' is needed.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${cspSource} 'nonce-${nonce}'`, `font-src ${cspSource}`, `img-src ${cspSource} data:`].join('; ');
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export function webviewHtml(resources: PageResources, nonce: string): string {
  const attribute = (value: string) => `"${escapeHtml(value)}"`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content=${attribute(contentSecurityPolicy(resources.cspSource, nonce))}>
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href=${attribute(resources.codicons)} nonce=${attribute(nonce)} id="vscode-codicon-stylesheet">
<link rel="stylesheet" href=${attribute(resources.stylesheet)} nonce=${attribute(nonce)}>
<title>${escapeHtml(resources.title)}</title>
</head>
<body>
<main id="root" aria-live="polite"></main>
<script type="module" src=${attribute(resources.script)} nonce=${attribute(nonce)}></script>
</body>
</html>
`;
}
