import { readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { assetsDirectory, projectRoot } from '../src/web/assets.js';

/**
 * Bundles the islands (src/web/islands/*.ts), the style sheets (src/web/styles/*.css) and the
 * content origin's runtime (src/packages/runtime/*.ts) into
 * dist/public/assets/<name>-<hash>.js|css, and writes manifest.json (source name → hashed name).
 * Old hashed files are left in place: pages cached elsewhere may still ask for them, and
 * concurrent builds (parallel test runs) never remove what another just wrote.
 */
export async function buildAssets(): Promise<Record<string, string>> {
  // The sources, also when this script runs compiled from dist/scripts/.
  const web = path.join(projectRoot(), 'src', 'web');
  const sources = (folder: string, extension: string) =>
    readdirSync(path.join(web, folder)).filter((name) => name.endsWith(extension) && !name.endsWith('.d.ts')).map((name) => path.join(web, folder, name));
  const outdir = assetsDirectory();
  // The SCORM wrapper's script is served by the content origin (src/packages/content/), from the same folder.
  const runtime = path.join(projectRoot(), 'src', 'packages', 'runtime');
  const runtimeSources = readdirSync(runtime).filter((name) => name.endsWith('.ts')).map((name) => path.join(runtime, name));
  const entryPoints = [...sources('islands', '.ts'), ...sources('styles', '.css'), ...runtimeSources];
  const result = await build({
    entryPoints,
    outdir,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[name]-[hash]',
    bundle: true,
    // Code splitting keeps hls.js in its own chunk, fetched only when a viewer presses play.
    splitting: true,
    format: 'esm',
    minify: true,
    target: 'es2020',
    metafile: true,
    logLevel: 'warning',
  });
  const manifest: Record<string, string> = {};
  const entries = new Set(entryPoints.map((entry) => path.relative(process.cwd(), entry)));
  for (const [output, meta] of Object.entries(result.metafile.outputs)) {
    // Chunks (hls.js, imported on demand) have no name of their own in the manifest.
    if (!meta.entryPoint || !entries.has(meta.entryPoint)) continue;
    const source = path.basename(meta.entryPoint).replace(/\.ts$/, '.js');
    manifest[source] = path.basename(output);
  }
  // Written whole then renamed: a server starting meanwhile never reads half a manifest.
  const temporary = path.join(outdir, `manifest.json.${process.pid}.tmp`);
  await fs.writeFile(temporary, JSON.stringify(manifest, null, 2));
  await fs.rename(temporary, path.join(outdir, 'manifest.json'));
  return manifest;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const manifest = await buildAssets();
  console.log(`web assets: ${Object.values(manifest).join(', ')}`);
}
