/**
 * The `?tiep=` path to return to after signing in, if it stays on this site: a path (not `//host`
 * or `/\host`, which browsers read as another host) that resolves to our own origin. Else null.
 */
export function safeReturnPath(candidate: string | undefined, publicUrl: string): string | null {
  if (!candidate || !candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) return null;
  try {
    const base = new URL(publicUrl);
    const resolved = new URL(candidate, base);
    if (resolved.origin !== base.origin) return null;
    // The sign-in page itself is no place to return to.
    if (resolved.pathname === '/dang-nhap') return null;
    return resolved.pathname + resolved.search;
  } catch {
    return null;
  }
}
