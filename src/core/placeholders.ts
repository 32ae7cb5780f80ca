/**
 * The one `{param}` grammar of endpoint URLs and bodies: validation reads it to check a template, the HTTP runner
 * to fill one in and to name the parameters an endpoint takes.
 */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `text` with each `{name}` replaced by what `fill` gives for it. */
export function replacePlaceholders(text: string, fill: (name: string) => string): string {
  return text.includes('{') ? text.replace(PLACEHOLDER, (_whole, name: string) => fill(name)) : text;
}

/** The `{name}` placeholders of a template, each once, in order of appearance. */
export function placeholderNames(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]))];
}
