import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedCache } from '../../src/runners/keyedCache';

interface Settings {
  name: string;
  url: string;
}

describe('KeyedCache', () => {
  const cache = () => {
    const disposed: string[] = [];
    const replaced: Array<[string, string, string]> = [];
    let created = 0;
    const instances = new KeyedCache<Settings, { id: string }>({
      fingerprint: (settings) => settings.url,
      create: (settings) => ({ id: `${settings.name}#${++created}` }),
      dispose: (value) => {
        disposed.push(value.id);
        if (value.id === 'b#2') throw new Error('a close that fails is ignored');
      },
      replaced: (name, previous, current) => replaced.push([name, previous.id, current.id]),
    });
    return { instances, disposed, replaced };
  };

  it('keeps one instance per name while the settings stay the same, even for a rebuilt settings object', () => {
    const { instances, disposed } = cache();
    const first = instances.get({ name: 'a', url: 'x' });
    assert.equal(instances.get({ name: 'a', url: 'x' }), first);
    assert.notEqual(instances.get({ name: 'b', url: 'x' }), first);
    assert.equal(instances.peek('a'), first);
    assert.equal(instances.peek('c'), undefined);
    assert.deepEqual(disposed, []);
  });

  it('replaces the instance when the settings change, announcing it and disposing the old one', () => {
    const { instances, disposed, replaced } = cache();
    instances.get({ name: 'a', url: 'x' });
    const second = instances.get({ name: 'a', url: 'y' });
    assert.equal(second.id, 'a#2');
    assert.deepEqual(replaced, [['a', 'a#1', 'a#2']]);
    assert.deepEqual(disposed, ['a#1']);
    assert.deepEqual([...instances.values()].map(([name, value]) => [name, value.id]), [['a', 'a#2']]);
  });

  it('dispose() disposes every instance, ignoring failures, and the cache works again afterwards', async () => {
    const { instances, disposed } = cache();
    instances.get({ name: 'a', url: 'x' });
    instances.get({ name: 'b', url: 'x' });
    await instances.dispose();
    assert.deepEqual(disposed.sort(), ['a#1', 'b#2']);
    assert.deepEqual([...instances.values()], []);
    assert.equal(instances.get({ name: 'a', url: 'x' }).id, 'a#3');
  });
});
