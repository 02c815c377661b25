import path from 'node:path';
import sharp from 'sharp';

export const POSTER_SIZES = [
  { width: 1280, height: 720 },
  { width: 640, height: 360 },
  { width: 320, height: 180 },
] as const;

/** 100 megapixels: far above any camera or scan a teacher uploads, far below a decompression bomb. */
const MAX_INPUT_PIXELS = 100_000_000;

export interface ImageOutput {
  file: string;
  format: 'webp' | 'jpeg';
  width: number;
  height: number;
}

/** The only module that touches sharp. */
export class ImageRepository {
  async metadata(input: string): Promise<{ width: number; height: number; format: string }> {
    const meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    return { width: meta.autoOrient?.width ?? meta.width ?? 0, height: meta.autoOrient?.height ?? meta.height ?? 0, format: meta.format ?? 'unknown' };
  }

  /**
   * WebP and JPEG at 1280×720, 640×360 and 320×180 (fitted inside, never enlarged). Outputs carry
   * no metadata: EXIF and GPS of photos of pupils are dropped (sharp keeps none unless asked).
   */
  async posters(input: string, outDir: string): Promise<ImageOutput[]> {
    const outputs: ImageOutput[] = [];
    for (const size of POSTER_SIZES) {
      for (const format of ['webp', 'jpeg'] as const) {
        const file = path.join(outDir, `poster-${size.width}.${format === 'jpeg' ? 'jpg' : 'webp'}`);
        const pipeline = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
          .rotate()
          .resize({ width: size.width, height: size.height, fit: 'inside', withoutEnlargement: true });
        const info = format === 'webp' ? await pipeline.webp({ quality: 80 }).toFile(file) : await pipeline.jpeg({ quality: 82, mozjpeg: true }).toFile(file);
        outputs.push({ file, format, width: info.width, height: info.height });
      }
    }
    return outputs;
  }

  /** A rendered document page as WebP at each width (never enlarged), for the document viewer. */
  async pageImages(input: string, outDir: string, name: string, widths: readonly number[]): Promise<ImageOutput[]> {
    const outputs: ImageOutput[] = [];
    for (const width of widths) {
      const file = path.join(outDir, `${name}-${width}.webp`);
      const info = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
        .resize({ width, withoutEnlargement: true }).webp({ quality: 78 }).toFile(file);
      outputs.push({ file, format: 'webp', width: info.width, height: info.height });
    }
    return outputs;
  }
}
