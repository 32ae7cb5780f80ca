import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { isIntegrationFile } from '../../src/core/integrationFiles';

const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const { contributes } = manifest;

/** The manifest's globs (`**` any folders, `*` one name part) as a RegExp, to compare with the CLI's file finder. */
const globToRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '(?:.*/)?').replace(/\*/g, '[^/]*')}$`);

describe('extension manifest', () => {
  it('contributes the simone-integration language with grammar, configuration and schema files that exist', () => {
    const [language] = contributes.languages;
    assert.equal(language.id, 'simone-integration');
    const [grammar] = contributes.grammars;
    assert.equal(grammar.language, language.id);
    const grammarFile = JSON.parse(readFileSync(new URL(grammar.path, root), 'utf8'));
    assert.equal(grammarFile.scopeName, grammar.scopeName);
    assert.ok(JSON.parse(readFileSync(new URL(language.configuration, root), 'utf8')).comments.lineComment === '#');
    for (const validation of contributes.yamlValidation) assert.ok(existsSync(new URL(validation.url, root)), validation.url);
    assert.ok(existsSync(new URL('LICENSE', root)));
  });

  it('claims the same files in the language, in yamlValidation and in the CLI', () => {
    const patterns: string[] = contributes.languages[0].filenamePatterns;
    assert.deepEqual(contributes.yamlValidation[0].fileMatch, patterns);
    const paths = [
      'a/.simone/integrations/users.yaml', '.simone/integrations/x.yml', 'w/.simone/config/integrations.yaml', 'w/.simone/config/integrations.yml',
      'w/.simone/config/other.yaml', 'w/.simone/integrations/sub/x.yaml', 'w/simone/integrations/x.yaml', 'w/.simone/integrations/x.json',
    ];
    for (const path of paths) {
      const claimed = patterns.some((pattern) => globToRegExp(pattern).test(path));
      assert.equal(claimed, isIntegrationFile(path), path);
    }
    assert.ok(manifest.activationEvents.includes('onLanguage:simone-integration'));
    assert.ok(manifest.activationEvents.includes('workspaceContains:**/.simone/**'));
  });

  it('puts every command in the Simone category and keeps network commands out of untrusted workspaces', () => {
    const commands: Array<{ command: string; title: string; category: string; enablement?: string }> = contributes.commands;
    assert.equal(new Set(commands.map((command) => command.command)).size, commands.length);
    for (const command of commands) {
      assert.equal(command.category, 'Simone', command.command);
      assert.match(command.command, /^simone\.[a-zA-Z]+$/);
    }
    const local = new Set(['simone.restartLanguageServer', 'simone.showHealth', 'simone.storeSecret', 'simone.deleteSecret', 'simone.createIntegration', 'simone.showLogs', 'simone.openDefinition', 'simone.showReceived', 'simone.openEventSource']);
    for (const command of commands.filter((item) => !local.has(item.command))) assert.equal(command.enablement, 'isWorkspaceTrusted', command.command);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  });

  it('declares the settings with their defaults', () => {
    const settings = contributes.configuration.properties;
    assert.deepEqual(settings['simone.trace.server'].enum, ['off', 'messages', 'verbose']);
    assert.equal(settings['simone.health.enabled'].default, true);
    assert.equal(settings['simone.health.concurrency'].default, 8);
    assert.equal(settings['simone.validate.enable'].type, 'boolean');
    assert.equal(settings['simone.notifications.stateChanges'].default, false);
    assert.equal(settings['simone.telemetry.otlp.enabled'].default, false);
    assert.deepEqual(settings['simone.events.dispatch'].enum, ['off', 'ask', 'on']);
    assert.equal(settings['simone.events.dispatch'].default, 'ask');
    assert.equal(settings['simone.sync.schedule'].default, false);
  });

  it('contributes the Simone container whose view, welcome and menus name commands it declares', () => {
    const declared = new Set(contributes.commands.map((command: { command: string }) => command.command));
    const [container] = contributes.viewsContainers.activitybar;
    assert.equal(container.title, 'Simone');
    assert.ok(existsSync(new URL(container.icon, root)), container.icon);
    assert.deepEqual(contributes.views[container.id].map((view: { id: string }) => view.id), ['simone.integrations', 'simone.events']);
    const menuCommands = Object.values(contributes.menus as Record<string, Array<{ command: string }>>).flat().map((entry) => entry.command);
    const welcomeCommands = contributes.viewsWelcome.flatMap((welcome: { contents: string }) => [...welcome.contents.matchAll(/command:(simone\.[a-zA-Z]+)/g)].map((match) => match[1]));
    for (const command of [...menuCommands, ...welcomeCommands]) assert.ok(declared.has(command), command);
    assert.ok(welcomeCommands.includes('simone.createIntegration'));
    assert.ok(welcomeCommands.includes('simone.scanEvents'));
  });
});
