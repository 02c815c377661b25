/** Where the bytes of a blob live: content-addressed, fanned out over two directory levels. */
export function blobKey(sha256: string): string {
  return `blobs/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}
