import type { Memento } from 'vscode';

/**
 * The `{param}` values last given for each endpoint, per workspace: the next test asks with them filled in, and the
 * Testing view (which cannot ask) uses them. They are what the user typed, not config values.
 */
export class RememberedParameters {
  constructor(private readonly state: Memento) {}

  private key(integration: string, endpoint: string): string {
    return `simone.parameters.${integration}.${endpoint}`;
  }

  get(integration: string, endpoint: string): Record<string, string> {
    return this.state.get<Record<string, string>>(this.key(integration, endpoint), {});
  }

  async set(integration: string, endpoint: string, values: Record<string, string>): Promise<void> {
    await this.state.update(this.key(integration, endpoint), values);
  }
}
