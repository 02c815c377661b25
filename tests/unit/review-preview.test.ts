import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { Rendition } from '../../src/media/media.repository.js';
import type { QcView } from '../../src/media/qc.service.js';
import { FilePreview, previewKind } from '../../src/review/pages/file-preview.js';

/** The review screen's one choice of viewer, rendered as the page renders it. */
const rendition = (kind: Rendition['kind'], format: string): Rendition => ({
  id: `r-${kind}`, sha256: 'aa', kind, format, width: 1280, height: 720, bitrate: null, size: 1000, storageKey: 'k', createdAt: new Date(0),
});
const video = { id: 'f1', name: 'bai-giang.mp4', size: 1000, mime: 'video/mp4', sign: 'exp=1&sig=abc', renditions: [rendition('hls', 'hls'), rendition('mp4', 'mp4'), rendition('poster', 'jpeg')] };
const qc: QcView = {
  state: 'ready',
  report: {
    status: 'fail',
    checks: [
      { check: 'duration', status: 'pass', measured: 600, expected: {}, message: 'Thời lượng 10.0 phút.' },
      { check: 'black', status: 'fail', measured: 1, expected: {}, message: 'Có đoạn hình đen.', findings: [{ start: 150, end: 160, duration: 10 }] },
      { check: 'silence', status: 'warn', measured: 1, expected: {}, message: 'Có đoạn im lặng.', findings: [{ start: 300, end: 306, duration: 6 }] },
    ],
  },
};

describe('the preview of a file under review', () => {
  it('chooses by kind: video, audio, picture, document, package, anything else', () => {
    expect(['video/mp4', 'audio/mpeg', 'image/png', 'application/pdf', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'text/plain', 'application/epub+zip', 'application/zip', 'application/xml']
      .map((mime) => previewKind({ mime }))).toEqual(['video', 'audio', 'image', 'document', 'document', 'document', 'document', 'package', 'other']);
  });

  it('plays a video through signed links and marks the technical check\'s findings on its timeline', () => {
    const html = renderToString(h(FilePreview, { file: video, title: 'Bài giảng', captions: [], qc }));
    expect(html).toContain('data-hls="/api/v1/files/f1/hls/master.m3u8?exp=1&amp;sig=abc"');
    expect(html).toContain('poster="/api/v1/files/f1/poster?size=1280&amp;exp=1&amp;sig=abc"');
    expect(html).toContain('href="/api/v1/files/f1/content?exp=1&amp;sig=abc"');
    expect(html).toContain('aria-label="Dòng thời gian 10:00 với 2 đoạn lỗi kỹ thuật"');
    // 150 s of 600 is a quarter of the way; 10 s is 1/60 of the width.
    expect(html).toContain('<rect x="250" y="2" width="16.7" height="20" class="qc-mark qc-fail"');
    expect(html).toContain('class="qc-mark qc-warn"');
    expect(html).toContain('Từ 2:30 đến 2:40 (10 giây)');
    expect(html).toContain('Kiểm tra kỹ thuật: Không đạt');
  });

  it('offers any other file for download', () => {
    const html = renderToString(h(FilePreview, { file: { id: 'f2', name: 'bank.xml', size: 10, mime: 'application/xml', renditions: [] }, title: 'x', captions: [] }));
    expect(html).toBe('<p><a href="/api/v1/files/f2/content">Tải tệp bank.xml</a> <span class="meta">(10 byte)</span></p>');
  });
});
