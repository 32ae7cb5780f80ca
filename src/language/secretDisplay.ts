import { maskUrlCredentials } from '../core/secrets';

const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|KEY|CREDENTIAL/i;

/** A variable name that suggests its value is a secret. */
export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

const MASK = '••••••';

/** A variable's value as it may be shown: masked when it is (or may be) a secret, with URL passwords hidden otherwise. */
export function displayValue(name: string, value: string, secretPlace: boolean): string {
  if (secretPlace || looksSecret(name)) return value === '' ? '(empty)' : MASK;
  return maskUrlCredentials(value);
}
