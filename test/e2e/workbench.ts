/**
 * The VS Code workbench as a user sees it, through Playwright: the command palette, quick open, the editor,
 * the suggest widget and the Problems panel. Locators use VS Code's stable class names and ARIA labels.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';

/** Bounded waits: generous for a loaded 2-core machine, short enough to fail within minutes. */
export const UI_TIMEOUT = 30_000;
const LANGUAGE_SERVER_TIMEOUT = 60_000;

export class Workbench {
  private watchCount = 0;

  constructor(readonly page: Page) {}

  async waitUntilReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    // The explorer lists the workspace once the remote file system answers.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90_000 });
  }

  private get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  private get quickInputBox(): Locator {
    return this.quickInput.locator('.quick-input-box input');
  }

  /**
   * The command palette's labels for `text`, reopened until one reads `expected` (the extension host registers
   * contributed commands some seconds after the workbench shows) or the UI timeout passes.
   */
  async commandsMatching(text: string, expected: string): Promise<string[]> {
    const deadline = Date.now() + UI_TIMEOUT;
    for (;;) {
      await this.openQuickInput('F1');
      await this.typeIntoQuickInput(`>${text}`);
      const rows = this.quickInput.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor({ timeout: UI_TIMEOUT });
      const labels = (await rows.locator('.label-name').allTextContents()).map((label) => label.replace(/\s+/g, ' ').trim());
      await this.page.keyboard.press('Escape');
      if (labels.includes(expected) || Date.now() > deadline) return labels;
      await this.page.waitForTimeout(1_000);
    }
  }

  async runCommand(label: string): Promise<void> {
    await this.chooseCommand(label);
    await this.quickInput.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  }

  /** Picks `label` in the command palette. */
  private async chooseCommand(label: string): Promise<void> {
    await this.openQuickInput('F1');
    await this.typeIntoQuickInput(`>${label}`);
    const row = this.quickInput.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: UI_TIMEOUT });
    await row.click();
  }

  /** Runs a palette command that asks its questions in input boxes: each answer goes to the box showing its prompt. */
  async runCommandAnswering(label: string, answers: Array<{ prompt: string; text: string }>): Promise<void> {
    await this.chooseCommand(label);
    for (const answer of answers) {
      await this.quickInput.locator('.quick-input-message', { hasText: answer.prompt }).waitFor({ timeout: UI_TIMEOUT });
      await this.typeIntoQuickInput(answer.text);
      await this.page.keyboard.press('Enter');
    }
    await this.quickInput.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  }

  /** Runs a palette command that asks to pick one item of a list, and picks `item`. */
  async runCommandPicking(label: string, item: string): Promise<void> {
    await this.chooseCommand(label);
    const row = this.quickInput.locator('.quick-input-list .monaco-list-row', { hasText: item }).first();
    await row.waitFor({ timeout: UI_TIMEOUT });
    await row.click();
    await this.quickInput.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  }

  /** Quick open (Ctrl+P) by workspace-relative path; waits until the editor shows the file's tab. */
  async openFile(relativePath: string): Promise<void> {
    const name = relativePath.split('/').pop()!;
    await this.openQuickInput('Control+P');
    await this.typeIntoQuickInput(relativePath);
    const row = this.quickInput.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ timeout: UI_TIMEOUT });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: UI_TIMEOUT });
    await this.editor.waitFor({ timeout: UI_TIMEOUT });
  }

  get editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The language mode the status bar shows for the active editor ("Simone Integration", "YAML", ...). */
  async languageMode(): Promise<string> {
    const item = this.page.locator('#status\\.editor\\.mode');
    await item.waitFor({ timeout: UI_TIMEOUT });
    return (await item.innerText()).trim();
  }

  /** Opens a new line below line `line` (1-based) with Enter, as a user continuing that block would. */
  async newLineBelow(line: number): Promise<void> {
    await this.goToLine(line);
    await this.page.keyboard.press('End');
    await this.page.keyboard.press('Enter');
  }

  /** Replaces line `line` (1-based) of the active editor with `text`, as a user selecting it and typing would. */
  async replaceLine(line: number, text: string): Promise<void> {
    await this.goToLine(line);
    await this.page.keyboard.press('Home');
    await this.page.keyboard.press('Shift+End');
    await this.page.keyboard.type(text);
  }

  /** Puts the cursor on line `line` (1-based) of the active editor (Go to Line). */
  private async goToLine(line: number): Promise<void> {
    await this.editor.locator('.view-lines').click();
    await this.openQuickInput('Control+G');
    await this.typeIntoQuickInput(`:${line}`);
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  }

  /** Saves the active editor (Ctrl+S) and waits until its tab is no longer dirty. */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  }

  /** Triggers suggest (Ctrl+Space) and returns the labels it lists. */
  async suggestions(): Promise<string[]> {
    await this.page.keyboard.press('Control+Space');
    const rows = this.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
    await rows.first().waitFor({ timeout: LANGUAGE_SERVER_TIMEOUT });
    const labels = await rows.locator('.label-name').allTextContents();
    await this.page.keyboard.press('Escape');
    return labels.map((label) => label.trim());
  }

  /** Shows the Problems panel filtered by `filter` (its text filter box). */
  async showProblems(filter: string): Promise<void> {
    const panel = this.problemsPanel;
    if (!(await panel.isVisible())) await this.runCommand('View: Focus Problems');
    await panel.waitFor({ timeout: UI_TIMEOUT });
    const filterBox = this.page.locator('.panel .viewpane-filter input, .panel .markers-panel-action-filter input').first();
    await filterBox.fill(filter);
  }

  get problemsPanel(): Locator {
    return this.page.locator('.markers-panel');
  }

  /** The Problems panel row of a marker whose message contains `message`. */
  problem(message: string): Locator {
    return this.problemsPanel.locator('.monaco-list-row', { hasText: message }).first();
  }

  async waitForProblem(message: string): Promise<string> {
    const row = this.problem(message);
    await row.waitFor({ timeout: LANGUAGE_SERVER_TIMEOUT });
    return (await row.innerText()).replace(/\s+/g, ' ').trim();
  }

  /**
   * Starts watching the Problems panel in the page itself (a MutationObserver sees every rendering, however
   * short) for the moment no row shows `message` any more.
   */
  async watchProblemRow(message: string): Promise<{ disappeared(): Promise<void> }> {
    const flag = `__simoneProblemGone${++this.watchCount}`;
    // A string, not a function: the test's TypeScript transform would add helpers the page does not have.
    await this.page.evaluate(`(() => {
      const message = ${JSON.stringify(message)};
      const shown = () => Array.from(document.querySelectorAll('.markers-panel .monaco-list-row')).some((row) => row.textContent.includes(message));
      window[${JSON.stringify(flag)}] = false;
      const observer = new MutationObserver(() => {
        if (shown()) return;
        window[${JSON.stringify(flag)}] = true;
        observer.disconnect();
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    })()`);
    return {
      disappeared: async () => {
        await this.page.waitForFunction(`window[${JSON.stringify(flag)}] === true`, undefined, { timeout: UI_TIMEOUT }).catch(() => {
          throw new Error(`the Problems panel kept showing "${message}" for ${UI_TIMEOUT / 1000} s: nothing cleared it`);
        });
      },
    };
  }

  /** Opens the Simone container from the activity bar and waits for the Integrations view's first row. */
  async showSimoneView(): Promise<void> {
    // Clicking the container's icon while it is shown would hide it. The item, not its link: a badge covers the link.
    if (!(await this.integrationRows.first().isVisible())) await this.page.locator('.activitybar .action-item:has([aria-label^="Simone"])').first().click();
    await this.integrationRows.first().waitFor({ timeout: LANGUAGE_SERVER_TIMEOUT });
  }

  get integrationRows(): Locator {
    return this.viewRows('Integrations');
  }

  /** The rows of the view `view` ("Integrations", "Events"). */
  viewRows(view: string): Locator {
    return this.page.locator(`.pane:has(.pane-header[aria-label*="${view}"]) .monaco-list-row`);
  }

  /** The Integrations view's labels of its rows (each row's aria-label: label, state, description). */
  async integrationLabels(): Promise<string[]> {
    return this.rowLabels('Integrations');
  }

  /** A view's rows' aria-labels (label, state, description). */
  async rowLabels(view: string): Promise<string[]> {
    return this.viewRows(view).evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
  }

  /** Waits until the Integrations view's row labelled `label` has an aria-label matching `pattern`; returns it. */
  async waitForIntegrationRow(label: string, pattern: RegExp, timeout = LANGUAGE_SERVER_TIMEOUT): Promise<string> {
    return this.waitForRow('Integrations', label, pattern, timeout);
  }

  /** Waits until the row labelled `label` of `view` has an aria-label matching `pattern`; returns it. */
  async waitForRow(view: string, label: string, pattern: RegExp, timeout = LANGUAGE_SERVER_TIMEOUT): Promise<string> {
    const deadline = Date.now() + timeout;
    let last = '';
    for (;;) {
      const labels = await this.rowLabels(view);
      last = labels.find((candidate) => (candidate === label || candidate.startsWith(`${label},`)) && pattern.test(candidate)) ?? labels.find((candidate) => candidate === label || candidate.startsWith(`${label},`)) ?? `(no row ${label} in: ${labels.join(' | ')})`;
      if (pattern.test(last)) return last;
      if (Date.now() > deadline) throw new Error(`the ${view} row ${label} did not match ${pattern}: ${last}`);
      await this.page.waitForTimeout(500);
    }
  }

  /** The icon classes of a row of the Integrations view. */
  async integrationIcon(label: string): Promise<string> {
    return this.rowIcon('Integrations', label);
  }

  /** The icon classes of the first row labelled `label` of `view`. */
  async rowIcon(view: string, label: string): Promise<string> {
    return (await this.row(view, label).locator('.custom-view-tree-node-item-icon').first().getAttribute('class')) ?? '';
  }

  /** Expands the Integrations view's row labelled `label` (a click on its twistie). */
  async expandIntegration(label: string): Promise<void> {
    await this.expandRow('Integrations', label);
  }

  /** Expands the first row labelled `label` of `view` (a click on its twistie). */
  async expandRow(view: string, label: string): Promise<void> {
    const row = this.row(view, label);
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
  }

  /** Clicks the inline action `action` (its title) of the first row labelled `label` of `view`, shown on hover. */
  async clickRowAction(view: string, label: string, action: string): Promise<void> {
    const row = this.row(view, label);
    await row.hover();
    await row.locator(`.actions .action-label[aria-label="${action}"]`).click();
  }

  private row(view: string, label: string): Locator {
    return this.viewRows(view).filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }) }).first();
  }

  /** The text of the status bar item whose text matches `pattern`, once one does. */
  async statusBarItem(pattern: RegExp, timeout = LANGUAGE_SERVER_TIMEOUT): Promise<string> {
    const item = this.page.locator('.statusbar-item', { hasText: pattern }).first();
    await item.waitFor({ timeout });
    return (await item.innerText()).replace(/\s+/g, ' ').trim();
  }

  /** The text of the editor tab `name` (waits for it), e.g. a result document. */
  async waitForTab(name: string | RegExp): Promise<void> {
    await this.page.locator('.tabs-container .tab', { hasText: name }).first().waitFor({ timeout: LANGUAGE_SERVER_TIMEOUT });
  }

  /** Clicks `button` of the modal dialog showing `text`. */
  async answerDialog(text: string | RegExp, button: string): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box', { hasText: text });
    await dialog.waitFor({ timeout: LANGUAGE_SERVER_TIMEOUT });
    await dialog.locator('.monaco-button', { hasText: button }).first().click();
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  }

  /**
   * The webview page (a frame inside the panel's iframe; hidden panels stay loaded) whose `selector` reads
   * `pattern`, once one does; then what `read` takes from it.
   */
  async waitForWebview<T>(selector: string, pattern: RegExp, read: (page: Frame) => Promise<T>, timeout = LANGUAGE_SERVER_TIMEOUT): Promise<T> {
    const deadline = Date.now() + timeout;
    for (;;) {
      for (const frame of this.page.frames()) {
        const found = frame.locator(selector).first();
        if ((await found.count().catch(() => 0)) && pattern.test((await found.textContent().catch(() => '')) ?? '')) return read(frame);
      }
      if (Date.now() > deadline) throw new Error(`no webview shows ${selector} reading ${pattern} within ${timeout} ms`);
      await this.page.waitForTimeout(500);
    }
  }

  /** Expands every row of the Test Explorer (files, then integrations), a bounded number of clicks. */
  async expandAllTests(): Promise<void> {
    for (let clicks = 0; clicks < 50; clicks++) {
      const collapsed = this.page.locator('.test-explorer .monaco-list-row[aria-expanded="false"]').first();
      if (!(await collapsed.count())) return;
      await collapsed.locator('.monaco-tl-twistie').click();
      await this.page.waitForTimeout(200);
    }
  }

  /** The Test Explorer's rows as "label: state" once every row named in `labels` has a final state. */
  async testStates(labels: string[], timeout = LANGUAGE_SERVER_TIMEOUT): Promise<Record<string, string>> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const states: Record<string, string> = await this.page.locator('.test-explorer .monaco-list-row').evaluateAll((rows) =>
        Object.fromEntries(
          rows.map((row) => {
            // The first text of the row is the item's label (its description and duration follow).
            const walker = (row as unknown as { ownerDocument: { createTreeWalker(root: unknown, show: number): { nextNode(): { textContent: string | null } | null } } }).ownerDocument.createTreeWalker(row, 4 /* NodeFilter.SHOW_TEXT */);
            let label = '';
            for (let node = walker.nextNode(); node && !label; node = walker.nextNode()) label = node.textContent?.trim() ?? '';
            const icon = row.querySelector('.computed-state')?.className ?? '';
            const state = /testing-passed/.test(icon) ? 'passed' : /testing-failed/.test(icon) ? 'failed' : /testing-error/.test(icon) ? 'errored' : /testing-skipped/.test(icon) ? 'skipped' : /testing-(queued|run)/.test(icon) ? 'running' : 'unset';
            return [label, state];
          }),
        ),
      );
      const done = labels.every((label) => states[label] && states[label] !== 'unset' && states[label] !== 'running');
      if (done || Date.now() > deadline) return states;
      await this.page.waitForTimeout(500);
    }
  }

  /** Every text the workbench shows now. */
  async pageText(): Promise<string> {
    return this.page.locator('body').innerText();
  }

  /** Saves a screenshot as `<folder>/<name>.png` and returns its path. */
  async screenshot(folder: string, name: string): Promise<string> {
    mkdirSync(folder, { recursive: true });
    const path = join(folder, `${name.replace(/[^A-Za-z0-9_-]+/g, '-')}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  private async openQuickInput(shortcut: string): Promise<void> {
    if (!(await this.quickInput.isVisible())) {
      await this.page.keyboard.press(shortcut);
    }
    await this.quickInputBox.waitFor({ timeout: UI_TIMEOUT });
  }

  private async typeIntoQuickInput(text: string): Promise<void> {
    await this.quickInputBox.fill(text);
  }
}
