import { maskUrlCredentials } from '../core/secrets';
import type { LanguageContext } from './context';

const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|KEY|CREDENTIAL/i;

/** A variable name that suggests its value is a secret. */
export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A variable's value may be shown only when it is no secret by place (`secretPlace`: where the hover is), by use
 * (it holds a value that fills a secret place anywhere in the workspace) or by name.
 */
export function mayShowValue(name: string, value: string, secretPlace: boolean, ctx: LanguageContext): boolean {
  if (secretPlace || looksSecret(name)) return false;
  for (const secret of ctx.secretValues()) if (value.includes(secret)) return false;
  return true;
}

/** The value as a hover shows it: in full (URL passwords still hidden, a second line of defence), else only its length. */
export function displayValue(value: string, shown: boolean): string {
  if (shown) return `\`${maskUrlCredentials(value)}\``;
  return value === '' ? '(empty)' : `(${value.length} character${value.length === 1 ? '' : 's'})`;
}
