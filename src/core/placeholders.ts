/**
 * The one `{param}` grammar of endpoint URLs and bodies: validation reads it to check a template, the HTTP runner
 * to fill one in.
 */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `text` with each `{name}` replaced by what `fill` gives for it. */
export function replacePlaceholders(text: string, fill: (name: string) => string): string {
  return text.includes('{') ? text.replace(PLACEHOLDER, (_whole, name: string) => fill(name)) : text;
}
