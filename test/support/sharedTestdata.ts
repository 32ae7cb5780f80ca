import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `../shared/testdata/<name>` beside the project, or undefined (with one line said) in a clone without it. */
export function sharedTestdata(name: string): string | undefined {
  const path = resolve(__dirname, '../../../shared/testdata', name);
  if (existsSync(path)) return path;
  console.log(`# skipped: ../shared/testdata/${name} is not beside this clone`);
  return undefined;
}

/** Every folder below `root` that holds an `in.yaml` (yaml-test-suite cases, some with numbered sub-cases). */
export function yamlTestCases(root: string): Array<{ id: string; input: string; expectsError: boolean }> {
  const cases: Array<{ id: string; input: string; expectsError: boolean }> = [];
  const walk = (dir: string, id: string) => {
    if (existsSync(join(dir, 'in.yaml'))) cases.push({ id, input: join(dir, 'in.yaml'), expectsError: existsSync(join(dir, 'error')) });
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path, id ? `${id}/${entry}` : entry);
    }
  };
  walk(root, '');
  return cases.sort((a, b) => a.id.localeCompare(b.id));
}
