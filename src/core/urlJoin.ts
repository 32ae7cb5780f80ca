/** An absolute URL (it has a scheme) rather than a path. */
export function isAbsoluteUrl(reference: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(reference);
}

/**
 * `path` appended to `base` string-wise, so `{param}` placeholders survive and
 * the base's path is kept (unlike `new URL(path, base)`); a query on the base
 * comes after the path's own. A fragment on the base means nothing to a request and is dropped.
 */
export function joinToBase(base: string, path: string): string {
  const queryAt = base.search(/[?#]/);
  const head = queryAt < 0 ? base : base.slice(0, queryAt);
  const baseQuery = queryAt < 0 || base[queryAt] === '#' ? '' : base.slice(queryAt + 1).split('#')[0];
  const joined = `${head.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return baseQuery ? `${joined}${joined.includes('?') ? '&' : '?'}${baseQuery}` : joined;
}

/** `reference` as it is when absolute, else joined onto `base`; undefined for a path with no base. */
export function resolveAgainstBase(reference: string, base: string | undefined): string | undefined {
  if (isAbsoluteUrl(reference)) return reference;
  return base === undefined ? undefined : joinToBase(base, reference);
}
