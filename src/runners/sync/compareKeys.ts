/**
 * Orders strings by Unicode code point, which is the byte order of their UTF-8 form: the order of PostgreSQL's
 * `COLLATE "C"`, so keys streamed from SQL and keys sorted here merge consistently. (JavaScript's `<` orders by
 * UTF-16 unit, which puts characters above U+FFFF before U+E000–U+FFFF.)
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

const codePointRank = (unit: number): number => (unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit);
