import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { issueContentToken, verifyContentToken } from '../../src/packages/content-token.js';
import { describePackage, packageRoot } from '../../src/packages/package-manifest.js';
import { contentTypeOf, encodePath } from '../../src/packages/package.service.js';
import { attemptValues, secondsOf } from '../../src/packages/scorm-data.js';

const KEY = 'k'.repeat(32);
const FILE = '11111111-2222-4333-8444-555555555555';
const USER = '66666666-7777-4888-8999-000000000000';

describe('content tokens', () => {
  it('carry the file and the learner, expire three to four hours later, rounded to the hour', () => {
    const now = Date.UTC(2026, 0, 1, 10, 20);
    const token = issueContentToken(KEY, FILE, USER, now);
    expect(issueContentToken(KEY, FILE, USER, now + 30 * 60_000)).toBe(token);
    expect(verifyContentToken(KEY, token, now)).toEqual({ fileId: FILE, userId: USER, expires: Date.UTC(2026, 0, 1, 14) / 1000 });
    expect(verifyContentToken(KEY, token, Date.UTC(2026, 0, 1, 14, 0, 1))).toBeNull();
    expect(verifyContentToken('x'.repeat(32), token, now)).toBeNull();
    expect(verifyContentToken(KEY, issueContentToken(KEY, FILE, null, now), now)?.userId).toBeNull();
  });
});

describe('package layouts', () => {
  const read = (files: Record<string, string>) => async (name: string) => Buffer.from(files[name]!);

  it('re-roots a single top folder, but not when a marker is at the top or there are several folders', () => {
    expect(packageRoot(['lesson/imsmanifest.xml', 'lesson/a.html'])).toBe('lesson/');
    expect(packageRoot(['index.html', 'lesson/a.html'])).toBe('');
    expect(packageRoot(['a/index.html', 'b/index.html'])).toBe('');
  });

  it('takes the SCORM version from schemaversion and refuses a manifest without one', async () => {
    const manifest = (metadata: string) => `<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><metadata>${metadata}</metadata>
      <organizations default="o"><organization identifier="o"><title>T</title><item identifier="i" identifierref="r" parameters="?p=1"/></organization></organizations>
      <resources xml:base="content/"><resource identifier="r" href="start.html"/></resources></manifest>`;
    const files = (metadata: string) => ({ 'imsmanifest.xml': manifest(metadata), 'content/start.html': 'x' });
    expect(await describePackage(Object.keys(files('')), read(files('<schemaversion>CAM 1.3</schemaversion>'))))
      .toEqual({ root: '', kind: 'scorm2004', launchPath: 'content/start.html?p=1', title: 'T' });
    await expect(describePackage(Object.keys(files('')), read(files('')))).rejects.toMatchObject({ code: 'PACKAGE_INVALID', params: { reason: 'imsmanifest.xml không ghi phiên bản (<schemaversion>)' } });
    await expect(describePackage(['imsmanifest.xml'], read({ 'imsmanifest.xml': '<!DOCTYPE x [<!ENTITY a "b">]><manifest/>' }))).rejects.toMatchObject({ code: 'PACKAGE_INVALID' });
  });
});

describe('SCORM data', () => {
  it('reads both time formats', () => {
    expect(secondsOf('0001:02:03.50')).toBe(3723);
    expect(secondsOf('PT1H2M3.5S')).toBe(3723);
    expect(secondsOf('P1DT1S')).toBe(86_401);
    expect(secondsOf('soon')).toBe(0);
  });

  it('splits SCORM 1.2\'s lesson status into completion and success, and drops scores that are not numbers', () => {
    expect(attemptValues({ version: '1.2', lessonStatus: 'failed', scoreRaw: 'NaN' })).toMatchObject({ completionStatus: 'completed', successStatus: 'failed', scoreRaw: null });
    expect(attemptValues({ version: '1.2', lessonStatus: 'browsed' })).toMatchObject({ completionStatus: 'incomplete', successStatus: 'unknown' });
    expect(attemptValues({ version: '2004', completionStatus: 'bogus', successStatus: 'passed', scoreScaled: '0.5' })).toMatchObject({ completionStatus: 'unknown', successStatus: 'passed', scoreScaled: '0.5' });
  });

  it('names types with their charset, and keeps a launch query', () => {
    expect(contentTypeOf('a/b.js')).toBe('application/javascript; charset=utf-8');
    expect(contentTypeOf('video.mp4')).toBe('video/mp4');
    expect(contentTypeOf('noextension')).toBe('application/octet-stream');
    expect(encodePath('bài 1/index.html?x=1&y=2')).toBe('b%C3%A0i%201/index.html?x=1&y=2');
  });
});

describe('the content origin setting', () => {
  it('defaults to another site than the app, and refuses the app\'s own host', () => {
    expect(loadConfig({}).content).toEqual({ port: 3001, origin: 'http://127.0.0.1:3001' });
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:8080', PORT: '8080' }).content).toEqual({ port: 8081, origin: 'http://localhost:8081' });
    expect(loadConfig({ CONTENT_ORIGIN: 'https://hoclieu-noidung.vn', CONTENT_PORT: '4000' }).content).toEqual({ port: 4000, origin: 'https://hoclieu-noidung.vn' });
    expect(() => loadConfig({ PUBLIC_URL: 'https://hoclieu.edu.vn', CONTENT_ORIGIN: 'https://hoclieu.edu.vn:8443' })).toThrow(/CONTENT_ORIGIN.*another host/);
    expect(() => loadConfig({ CONTENT_ORIGIN: 'https://noidung.vn/goi' })).toThrow(/is not an origin/);
  });
});
