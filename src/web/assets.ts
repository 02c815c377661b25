import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of package.json, whether this module runs from src/ (tests) or dist/src/ (npm start). */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

/** Where the hashed assets and their manifest live. */
export function assetsDirectory(): string {
  return path.join(projectRoot(), 'dist', 'public', 'assets');
}

/** Source name (`site.css`, `player.js`) → hashed file name, written by scripts/build-assets.ts. */
export type AssetManifest = Record<string, string>;

/** The served URL of each asset; a missing name is a programming error, so it throws. */
export class Assets {
  constructor(private readonly manifest: AssetManifest) {}

  static load(directory = assetsDirectory()): Assets {
    const file = path.join(directory, 'manifest.json');
    if (!existsSync(file)) throw new Error(`${file} is missing: build the web assets with \`npm run build\``);
    return new Assets(JSON.parse(readFileSync(file, 'utf8')) as AssetManifest);
  }

  url(name: string): string {
    const hashed = this.manifest[name];
    if (!hashed) throw new Error(`asset ${name} is not in the manifest; is it in src/web/islands or src/web/styles?`);
    return `/assets/${hashed}`;
  }
}
