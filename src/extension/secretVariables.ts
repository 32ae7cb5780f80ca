import { commands, EventEmitter, window, type Disposable, type ExtensionContext } from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { VARIABLE_NAME } from '../core/env';
import { SECRET_NAMES_NOTIFICATION, type SecretNamesParams } from '../server/protocol';

/** Where a variable's value is kept in SecretStorage (the OS keychain behind VS Code). */
const secretKey = (name: string) => `simone.env.${name}`;
/** SecretStorage cannot list its keys: the names are kept beside the values, in global state. */
const NAMES_KEY = 'simone.secretNames';

/**
 * `${VAR}` values kept in VS Code's secret storage, the first place CONFIG.md looks. The language server gets the
 * names only (it needs to know a variable is defined, not its value; LSP traces log every message).
 */
export class SecretVariables {
  private readonly changed = new EventEmitter<void>();
  /** A value was stored or deleted, here or in another window. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: ExtensionContext,
    private readonly client: LanguageClient,
  ) {}

  names(): string[] {
    return this.context.globalState.get<string[]>(NAMES_KEY, []);
  }

  /** The stored values, for the runs of this extension host (never sent anywhere else). */
  async values(): Promise<Map<string, string>> {
    const entries = await Promise.all(this.names().map(async (name) => [name, await this.context.secrets.get(secretKey(name))] as const));
    return new Map(entries.filter((entry): entry is readonly [string, string] => entry[1] !== undefined));
  }

  async store(name: string, value: string): Promise<void> {
    await this.context.secrets.store(secretKey(name), value);
    await this.setNames([...new Set([...this.names(), name])].sort());
  }

  async delete(name: string): Promise<void> {
    await this.context.secrets.delete(secretKey(name));
    await this.setNames(this.names().filter((known) => known !== name));
  }

  /** Tells the server the names (at start, after a restart, after any change). */
  private async announce(): Promise<void> {
    if (this.client.state !== State.Running) return;
    await this.client.sendNotification(SECRET_NAMES_NOTIFICATION, { names: this.names() } satisfies SecretNamesParams);
  }

  register(): Disposable[] {
    return [
      commands.registerCommand('simone.storeSecret', () => this.askAndStore()),
      commands.registerCommand('simone.deleteSecret', () => this.askAndDelete()),
      this.client.onDidChangeState((change) => change.newState === State.Running && void this.announceQuietly()),
      // Another window stored or deleted one.
      this.context.secrets.onDidChange(() => {
        this.changed.fire();
        void this.announceQuietly();
      }),
      this.changed,
    ];
  }

  /** From an event: a client stopping meanwhile is no error (it announces again when it runs). */
  private async announceQuietly(): Promise<void> {
    await this.announce().catch(() => undefined);
  }

  private async setNames(names: string[]): Promise<void> {
    await this.context.globalState.update(NAMES_KEY, names);
    this.changed.fire();
    await this.announce();
  }

  private async askAndStore(): Promise<void> {
    const name = await window.showInputBox({
      title: 'Store a Secret',
      prompt: 'Variable name, as ${NAME} references write it',
      placeHolder: 'API_TOKEN',
      ignoreFocusOut: true,
      validateInput: (text) => (VARIABLE_NAME.test(text) ? undefined : 'Letters, digits and _, not starting with a digit'),
    });
    if (!name) return;
    const value = await window.showInputBox({ title: `Store a Secret: ${name}`, prompt: `Value of \${${name}} (kept in VS Code's secret storage)`, password: true, ignoreFocusOut: true });
    if (value === undefined) return;
    await this.store(name, value);
    void window.showInformationMessage(`\${${name}} is stored in VS Code's secret storage.`);
  }

  private async askAndDelete(): Promise<void> {
    const names = this.names();
    if (names.length === 0) return void window.showInformationMessage('No secret is stored for ${VAR} references.');
    const name = await window.showQuickPick(names, { title: 'Delete a Stored Secret', placeHolder: 'Variable' });
    if (!name) return;
    await this.delete(name);
    void window.showInformationMessage(`\${${name}} is no longer stored.`);
  }
}
