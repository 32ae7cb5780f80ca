import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, newNonce, webviewHtml } from '../../src/extension/webviews/webviewHtml';

const resources = {
  title: 'tracker.list <"tasks">',
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  script: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/result.js',
  stylesheet: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/webview.css',
  codicons: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/codicon.css',
};

describe('webview HTML and content security policy', () => {
  it('a strict policy: nothing by default, scripts only with the nonce, styles and fonts only from the webview', () => {
    assert.equal(
      contentSecurityPolicy(resources.cspSource, 'abc'),
      `default-src 'none'; script-src 'nonce-abc'; style-src ${resources.cspSource} 'nonce-abc'; font-src ${resources.cspSource}; img-src ${resources.cspSource} data:`,
    );
  });

  it('every script and stylesheet carries the nonce; no inline script, handler or style', () => {
    const nonce = newNonce();
    const html = webviewHtml(resources, nonce);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    for (const tag of [...scripts, ...(html.match(/<link\b[^>]*>/g) ?? [])]) assert.ok(tag.includes(`nonce="${nonce}"`), tag);
    assert.match(html, /<script type="module" src="[^"]+result\.js" nonce="[^"]+"><\/script>/, 'the script is the bundle, with nothing inline');
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /\sstyle\s*=|<style/i, 'no inline styles');
    assert.match(html, /<link rel="stylesheet" href="[^"]+codicon\.css" nonce="[^"]+" id="vscode-codicon-stylesheet">/, 'vscode-icon finds codicon.css by this id');
    assert.ok(html.includes(`content="${contentSecurityPolicy(resources.cspSource, nonce).replace(/'/g, '&#39;')}"`), 'the policy is in the page');
  });

  it('escapes what it puts into the page', () => {
    const html = webviewHtml(resources, 'n');
    assert.ok(html.includes('<title>tracker.list &#60;&#34;tasks&#34;&#62;</title>'));
    assert.doesNotMatch(html, /<"tasks">/);
  });

  it('a fresh, unguessable nonce each load', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    assert.equal(nonces.size, 100);
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9_-]{24}$/);
  });
});
