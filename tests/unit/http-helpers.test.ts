import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../../src/core/config.js';
import { AppError, languageOf } from '../../src/core/errors.js';
import { peek } from '../../src/core/streams.js';
import { toNFC } from '../../src/core/text.js';
import { isAllowed, sniffText } from '../../src/files/allow-list.js';
import { contentDisposition, parseRange } from '../../src/files/content-disposition.js';
import { controlCharacterFields, hasMultipartBoundary, jsonNestsDeeperThan } from '../../src/http/input-guards.js';
import { refuseUnknownProperties } from '../../src/http/strict-schemas.js';
import { foldDiacritics, highlight, markedHtml, MATCH_END, MATCH_START } from '../../src/search/search-backend.js';
import { syllables } from '../../src/search/vocabulary.js';

describe('config', () => {
  it('uses embedded defaults and switches to external services when configured', () => {
    const defaults = loadConfig({ DATA_DIR: '/srv/hoclieu' });
    expect(defaults).toMatchObject({ port: 3000, workers: true, storage: { backend: 'file', root: '/srv/hoclieu/objects' }, search: { backend: 'postgres' }, database: { embedded: { dir: '/srv/hoclieu/pg' } }, maxUploadBytes: 2 * 1024 ** 3 });
    const production = loadConfig({ DATABASE_URL: 'postgres://db/x', S3_ENDPOINT: 'http://minio:9000', S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'true', MEILI_HOST: 'http://meili:7700', WORKERS: 'off', PORT: '8080' });
    expect(production).toMatchObject({ port: 8080, workers: false, database: { url: 'postgres://db/x' }, storage: { backend: 's3', bucket: 'b', forcePathStyle: true }, search: { backend: 'meilisearch' } });
  });

  it('names every invalid setting', () => {
    expect(() => loadConfig({ PORT: 'abc', WORKERS: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ S3_ENDPOINT: 'http://x' })).toThrow(/S3_BUCKET/);
  });

  it('reads CORS_ORIGINS as exact origins', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://cong.hoclieu.example, http://localhost:5173' }).corsOrigins).toEqual(['https://cong.hoclieu.example', 'http://localhost:5173']);
    for (const wrong of ['https://cong.hoclieu.example/', 'cong.hoclieu.example', '*', 'https://a.example/path']) expect(() => loadConfig({ CORS_ORIGINS: wrong }), wrong).toThrow(/CORS_ORIGINS/);
  });
});

describe('errors', () => {
  it('speaks Vietnamese by default and English on request', () => {
    const error = new AppError('FILE_TOO_LARGE', { limit: 10 });
    expect(error.status).toBe(413);
    expect(error.describe('vi')).toBe('Tệp vượt quá giới hạn 10 byte.');
    expect(error.describe('en')).toBe('The file exceeds the limit of 10 bytes.');
    expect(AppError.notFound('material').describe('vi')).toBe('Không tìm thấy học liệu.');
    expect(languageOf('en-GB,en;q=0.8')).toBe('en');
    expect(languageOf('vi-VN,vi;q=0.9,en;q=0.5')).toBe('vi');
    expect(languageOf(undefined)).toBe('vi');
  });
});

describe('text', () => {
  it('normalises nested strings to NFC', () => {
    const nfd = 'Tiếng Việt'.normalize('NFD');
    expect(toNFC({ a: [nfd], b: { c: nfd }, n: 1 })).toEqual({ a: ['Tiếng Việt'], b: { c: 'Tiếng Việt' }, n: 1 });
  });
});

describe('downloads', () => {
  it('puts the Vietnamese name in filename* and an ASCII fallback in filename', () => {
    expect(contentDisposition('Bài giảng "Đại số".pdf')).toBe(`attachment; filename="Bai giang _Dai so_.pdf"; filename*=UTF-8''B%C3%A0i%20gi%E1%BA%A3ng%20%22%C4%90%E1%BA%A1i%20s%E1%BB%91%22.pdf`);
  });

  it('parses byte ranges', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('invalid');
    expect(parseRange('bytes=9-1', 100)).toBe('invalid');
    expect(parseRange('items=1-2', 100)).toBe('invalid');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
  });
});

describe('file types', () => {
  it('recognises text without magic bytes, including Windows-1258 CSV, and refuses binary', () => {
    expect(sniffText(Buffer.from('::Câu 1:: 2+2=? {=4 ~3}'))).toBe('text/plain');
    expect(sniffText(Buffer.from('<?xml version="1.0"?><quiz/>'))).toBe('application/xml');
    expect(sniffText(Buffer.from([0x43, 0xe2, 0x75, 0x20, 0x31, 0x2c, 0x41, 0x0d, 0x0a]))).toBe('text/plain');
    expect(sniffText(Buffer.from([0x00, 0x01, 0x02]))).toBe('application/octet-stream');
    const cut = Buffer.from('Tiếng Việt', 'utf8');
    expect(sniffText(cut.subarray(0, cut.length - 1))).toBe('text/plain');
  });

  it('checks each material type\'s allow-list', () => {
    expect(isAllowed('video', 'video/mp4')).toBe(true);
    expect(isAllowed('video', 'application/pdf')).toBe(false);
    expect(isAllowed('document', 'application/x-elf')).toBe(false);
    expect(isAllowed('simulation', 'application/zip')).toBe(true);
    expect(isAllowed('unknown-type', 'application/pdf')).toBe(false);
  });
});

describe('search text', () => {
  it('folds diacritics (đ included) and highlights matched words safely', () => {
    expect(foldDiacritics('Đồng dạng')).toBe('dong dang');
    expect(syllables('  Tam-giác, ĐỒNG dạng! ')).toEqual(['tam', 'giac', 'dong', 'dang']);
    expect(highlight('Tam giác <b>đồng</b> dạng', ['dong'])).toBe('Tam giác &lt;b&gt;<mark>đồng</mark>&lt;/b&gt; dạng');
  });

  it('escapes an engine\'s highlighted text, then marks it', () => {
    expect(markedHtml(`<script>x</script> & ${MATCH_START}<b>tam</b>${MATCH_END} "giác"`)).toBe(`&lt;script&gt;x&lt;/script&gt; &amp; <mark>&lt;b&gt;tam&lt;/b&gt;</mark> &quot;giác&quot;`);
  });
});

describe('peek', () => {
  it('returns the head and a stream of the whole content', async () => {
    const source = Readable.from([Buffer.from('abc'), Buffer.from('defgh'), Buffer.from('ij')]);
    const { head, whole } = await peek(source, 5);
    expect(head.toString()).toBe('abcde');
    expect((await buffer(whole)).toString()).toBe('abcdefghij');
    const short = await peek(Readable.from([Buffer.from('xy')]), 5);
    expect(short.head.toString()).toBe('xy');
    expect((await buffer(short.whole)).toString()).toBe('xy');
  });
});

describe('request guards', () => {
  it('measures JSON nesting without parsing, brackets in strings aside', () => {
    expect(jsonNestsDeeperThan('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":[{"b":[[1]]}]}', 4)).toBe(true);
    expect(jsonNestsDeeperThan('{"a":"[[[[[[\\"[[[["}', 1)).toBe(false);
    expect(jsonNestsDeeperThan('['.repeat(100_000), 32)).toBe(true);
  });

  it('names the fields and keys that carry control characters; bodies keep tab and line breaks', () => {
    expect(controlCharacterFields({ title: 'a\u0000b', description: 'dòng 1\r\n\tdòng 2', matrix: [{ topic: 'x\u001b' }], ['k\u0001']: 1 }, 'body')).toEqual([
      { field: 'title', rule: 'controlCharacters' },
      { field: 'matrix.0.topic', rule: 'controlCharacters' },
      { field: 'k\\u0001', rule: 'controlCharactersInName' },
    ]);
    expect(controlCharacterFields({ q: 'toán\thọc' }, 'querystring')).toEqual([{ field: 'q', rule: 'controlCharacters' }]);
    expect(controlCharacterFields('\u007f', 'body')).toEqual([{ field: 'body', rule: 'controlCharacters' }]);
    expect(controlCharacterFields({ name: 'Tiếng Việt — “ngoặc” ✓' }, 'params')).toEqual([]);
  });

  it('needs a boundary in a multipart content type', () => {
    expect(hasMultipartBoundary('multipart/form-data; boundary=----x1')).toBe(true);
    expect(hasMultipartBoundary('multipart/form-data; charset=utf-8; BOUNDARY="a b"')).toBe(true);
    expect(hasMultipartBoundary('multipart/form-data')).toBe(false);
    expect(hasMultipartBoundary('multipart/form-data; boundary=')).toBe(false);
    expect(hasMultipartBoundary(undefined)).toBe(false);
  });

  it('makes every object of a schema strict unless it says otherwise, and refuses intersections', () => {
    const schema = {
      type: 'object', properties: {
        a: { type: 'object', properties: { b: { type: 'string' } } },
        list: { type: 'array', items: { type: 'object', properties: {} } },
        either: { anyOf: [{ type: 'object', properties: {} }, { type: 'null' }] },
        open: { type: 'object', properties: {}, additionalProperties: true },
      },
    };
    refuseUnknownProperties(schema, 'test');
    expect(schema).toMatchObject({
      additionalProperties: false,
      properties: { a: { additionalProperties: false }, list: { items: { additionalProperties: false } }, either: { anyOf: [{ additionalProperties: false }, {}] }, open: { additionalProperties: true } },
    });
    expect(() => refuseUnknownProperties({ allOf: [{ type: 'object', properties: {} }] }, 'GET /x querystring')).toThrow(/GET \/x querystring/);
  });
});
