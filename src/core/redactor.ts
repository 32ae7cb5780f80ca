/**
 * The one redactor: every sink (CLI output, LSP answers, spans, runner errors)
 * replaces registered secret values, as CI systems mask secrets, by value and
 * not by guessing from names. Pure: no I/O, no globals.
 */

export const MASK = '***';
/** Values shorter than this are not searched for: masking "a" or "80" would mangle every message. */
export const MIN_SECRET_LENGTH = 4;

/** The forms a value can take on its way out: as given, URL-encoded (component and whole-URL), JSON-escaped and base64. */
export function secretForms(value: string): string[] {
  // JSON-escaped too: a CLI JSON answer writes a `"` or `\` in a value escaped.
  const forms = new Set([value, encodeURIComponent(value), encodeURI(value), JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64')]);
  // Inside a longer base64 text the value's own base64 form shifts with its offset; only the aligned form is searched.
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/** A set of secret values and the text they are masked in. Longest forms first, so a value inside another is not left half-masked. */
export class Redactor {
  private forms: string[] = [];
  private readonly registered = new Set<string>();

  constructor(values: Iterable<string> = []) {
    this.add(values);
  }

  /** Registers more values (`user:password` for basic auth is given by the collector as one more value). */
  add(values: Iterable<string>): this {
    let changed = false;
    for (const value of values) {
      if (value.length < MIN_SECRET_LENGTH || this.registered.has(value)) continue;
      this.registered.add(value);
      changed = true;
    }
    if (changed) this.forms = [...new Set([...this.registered].flatMap(secretForms))].sort((a, b) => b.length - a.length);
    return this;
  }

  /** The values registered, as given (not their encoded forms). */
  values(): IterableIterator<string> {
    return this.registered.values();
  }

  get size(): number {
    return this.registered.size;
  }

  redact(text: string): string {
    let result = text;
    for (const form of this.forms) if (result.includes(form)) result = result.split(form).join(MASK);
    return result;
  }

  /** A copy of a JSON-safe value with every string redacted; keys in `keep` (an LSP edit the user applies to their own files) stay as they are. */
  redactDeep<T>(value: T, keep: ReadonlySet<string> = NO_KEYS, depth = 0): T {
    if (this.forms.length === 0) return value;
    // Deeper than any answer of ours nests: masked as JSON text rather than walked further.
    if (depth > MAX_DEPTH) return JSON.parse(this.redact(JSON.stringify(value) ?? 'null')) as T;
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.redactDeep(item, keep, depth + 1)) as T;
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, keep.has(key) ? item : this.redactDeep(item, keep, depth + 1)])) as T;
    }
    return value;
  }
}

const NO_KEYS: ReadonlySet<string> = new Set();
const MAX_DEPTH = 2048;

/**
 * What is said of a URL that does not parse, instead of the URL: a password holding `/` or `#` is what makes
 * a URL unparseable, so such a text is never echoed.
 */
export const UNPARSEABLE_URL = 'is not a valid URL (not shown: it may hold a password)';
