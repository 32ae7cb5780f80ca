/** The three rows editDistance rolls through, kept between calls: one allocation per word length, not three per comparison. */
let rows: Int32Array[] = [];

/**
 * Edit distance with transpositions (optimal string alignment), for "did you mean".
 * Past `max` the exact value does not matter: it returns `max + 1` as soon as every alignment costs more.
 */
function editDistance(a: string, b: string, max: number): number {
  if (!rows.length || rows[0].length <= b.length) rows = [0, 1, 2].map(() => new Int32Array(b.length + 1));
  // The transposition looks two rows back.
  let [before, previous, current] = rows;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, before[j - 2] + 1);
      current[j] = distance;
      if (distance < rowMinimum) rowMinimum = distance;
    }
    if (rowMinimum > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length];
}

/** No suggestion for longer words: a typo that long is unlikely, and the distance costs length squared. */
const MAX_WORD_LENGTH = 64;
/** Candidates compared per word, at most: a huge list (thousands of variables) stays cheap. */
const MAX_COMPARED = 500;
/** Answers kept per list; the same typo tends to repeat (one unknown variable used in every file). */
const MAX_CACHED_ANSWERS = 1_000;

/** A list of names to suggest from, indexed by length (only names of about the word's length can be close) with its answers cached. */
export class CandidateList {
  private readonly byLength = new Map<number, Array<{ name: string; lower: string }>>();
  private readonly answers = new Map<string, string[]>();

  constructor(candidates: Iterable<string>) {
    for (const name of new Set(candidates)) {
      const bucket = this.byLength.get(name.length);
      if (bucket) bucket.push({ name, lower: name.toLowerCase() });
      else this.byLength.set(name.length, [{ name, lower: name.toLowerCase() }]);
    }
  }

  /** The candidates close enough to `word` to be what was meant, best first. */
  suggest(word: string, limit = 3): string[] {
    const key = `${limit}:${word}`;
    const known = this.answers.get(key);
    if (known) return known;
    const found = this.closest(word, limit);
    if (this.answers.size >= MAX_CACHED_ANSWERS) this.answers.clear();
    this.answers.set(key, found);
    return found;
  }

  private closest(word: string, limit: number): string[] {
    if (word.length > MAX_WORD_LENGTH) return [];
    const lower = word.toLowerCase();
    const threshold = Math.max(1, Math.floor(word.length / 3));
    const close: Array<{ name: string; distance: number }> = [];
    let compared = 0;
    for (let length = Math.max(0, word.length - threshold); length <= word.length + threshold && compared < MAX_COMPARED; length++) {
      for (const candidate of this.byLength.get(length) ?? []) {
        if (++compared > MAX_COMPARED) break;
        const distance = editDistance(lower, candidate.lower, threshold);
        if (distance > threshold) continue;
        const prefix = candidate.lower.startsWith(lower) || lower.startsWith(candidate.lower) ? 0.5 : 0;
        close.push({ name: candidate.name, distance: distance - prefix });
      }
    }
    return close
      .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
      .slice(0, limit)
      .map((entry) => entry.name);
  }
}

/** The candidates close enough to `word` to be what was meant, best first (for one question; hold a CandidateList to ask many). */
export function didYouMean(word: string, candidates: Iterable<string>, limit = 3): string[] {
  return new CandidateList(candidates).suggest(word, limit);
}

export function didYouMeanText(suggestions: string[]): string {
  return suggestions.length ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
}
