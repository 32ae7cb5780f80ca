import { replacePlaceholders } from '../../core/placeholders';
import { ClassifiedError } from '../errors';

/**
 * `text` with each `{name}` replaced by `encode(params[name])`; the names
 * filled are added to `used`. A missing parameter is a config error naming it.
 */
export function fillPlaceholders(text: string, params: Readonly<Record<string, string>>, endpointName: string, used: Set<string>, encode: (value: string) => string = String): string {
  return replacePlaceholders(text, (name) => {
    const value = params[name];
    if (value === undefined) throw new ClassifiedError('config', `endpoint "${endpointName}" needs the parameter "${name}" (--param ${name}=...)`);
    used.add(name);
    return encode(value);
  });
}
