import { window, type QuickPickItem } from 'vscode';
import type { Integration, IntegrationType } from '../../core/model';
import { integrationSecrets, redact } from '../../runners/errors';
import type { EditorEngine } from '../engine/editorEngine';

type Of<T extends IntegrationType> = Extract<Integration, { type: T }>;

interface Pick<T> extends QuickPickItem {
  value: T;
}

async function pickOne<T>(items: Array<Pick<T>>, title: string, none: string): Promise<T | undefined> {
  if (items.length === 0) {
    void window.showInformationMessage(none);
    return undefined;
  }
  if (items.length === 1) return items[0].value;
  return (await window.showQuickPick(items, { title, matchOnDescription: true }))?.value;
}

/** The integration named (when it exists with that type), else one the user picks among those of the type. */
export async function pickIntegration<T extends IntegrationType>(engine: EditorEngine, type: T, title: string, name?: string, filter: (integration: Of<T>) => boolean = () => true): Promise<Of<T> | undefined> {
  const candidates = engine.workspace.snapshot.integrations().filter((integration): integration is Of<T> => integration.type === type).filter(filter);
  const named = name === undefined ? undefined : candidates.find((integration) => integration.name === name);
  if (named) return named;
  if (name !== undefined) {
    void window.showWarningMessage(`There is no ${type} integration "${name}" here (any more).`);
    return undefined;
  }
  return pickOne(
    candidates.map((integration) => ({ label: integration.name, description: integration.description, value: integration })),
    title,
    `There is no ${type} integration in this workspace that this applies to.`,
  );
}

/** One of the integration's parts (endpoint, queue): the one named, else picked. */
export async function pickPart<T>(parts: ReadonlyArray<{ name: string; description?: string; value: T }>, title: string, none: string, name?: string): Promise<T | undefined> {
  const named = name === undefined ? undefined : parts.find((part) => part.name === name);
  if (named) return named.value;
  return pickOne(parts.map((part) => ({ label: part.name, description: part.description, value: part.value })), title, none);
}

/** An endpoint across every request_response integration (from the palette, with nothing chosen yet). */
export async function pickAnyEndpoint(engine: EditorEngine): Promise<{ integration: string; endpoint: string } | undefined> {
  const items = engine.workspace.snapshot.integrations().flatMap((integration) =>
    integration.type === 'request_response'
      ? integration.endpoints.map((endpoint) => ({ label: endpoint.name, description: `${integration.name} · ${endpoint.method} ${redact(endpoint.url, integrationSecrets(integration))}`, value: { integration: integration.name, endpoint: endpoint.name } }))
      : [],
  );
  return pickOne(items, 'Test Endpoint', 'There is no request_response endpoint in this workspace.');
}
