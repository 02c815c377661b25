/**
 * The tus client of `npm run bench:media`, in a process of its own as a teacher's browser would be:
 * uploads one file and prints how long it took, from the first request to the answer of the last.
 * Arguments: endpoint, bearer token, material id, file.
 */
import { createReadStream } from 'node:fs';
import * as tus from 'tus-js-client';

const [endpoint, token, materialId, file] = process.argv.slice(2) as [string, string, string, string];
const started = performance.now();
await new Promise<void>((resolve, reject) => {
  new tus.Upload(createReadStream(file) as never, {
    endpoint, metadata: { materialId, filename: 'bench.pdf' }, headers: { authorization: `Bearer ${token}` },
    chunkSize: 64 * 1024 * 1024, onSuccess: () => resolve(), onError: reject,
  }).start();
});
console.log(JSON.stringify({ ms: performance.now() - started }));
