import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { DEFAULT_CHANNEL_SETTINGS, type ChannelSettings } from '../../src/publishing/youtube/model.js';
import { buildVideoMetadata, formatGrades, playlistFor, unknownPlaceholders, youtubeLicense, type VideoMetadataInput } from '../../src/publishing/youtube/video-metadata.js';

const NOW = new Date('2026-11-24T03:00:00Z');

const lesson = (over: Partial<VideoMetadataInput> = {}): VideoMetadataInput => ({
  title: 'Bài 5: Phân số',
  description: 'Ôn tập khái niệm phân số và so sánh phân số.',
  level: { code: 'thcs', name: 'Trung học cơ sở' },
  grades: [6],
  subject: { code: 'toan', name: 'Toán' },
  series: { code: 'ket-noi-tri-thuc', name: 'Kết nối tri thức với cuộc sống' },
  lesson: 'Chương 2. Phân số',
  contributor: 'Sở Giáo dục và Đào tạo Hà Nội',
  license: { code: 'CC-BY-4.0', name: 'Creative Commons Ghi công 4.0' },
  url: 'https://hoclieu.example.vn/hoc-lieu/7d1c6a1e-0000-4000-8000-000000000001/tam-giac-dong-dang',
  ...over,
});

const settings = (over: Partial<ChannelSettings> = {}): ChannelSettings => ({ ...DEFAULT_CHANNEL_SETTINGS, ...over });

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');
const segmenter = new Intl.Segmenter('vi', { granularity: 'grapheme' });
/** Whether `prefix` ends where a grapheme of `text` ends (nothing split: pair, emoji sequence, letter + marks). */
const endsOnGraphemeBoundary = (text: string, prefix: string) =>
  text.startsWith(prefix) && [...segmenter.segment(text)].some(({ index, segment }) => index + segment.length === prefix.length);
/** The 500 characters as YouTube counts them: commas between tags, quotation marks around a tag with a space. */
const youtubeTagLength = (tags: string[]) => tags.reduce((sum, tag) => sum + tag.length + (/\s/.test(tag) ? 2 : 0), 0) + Math.max(0, tags.length - 1);

function appError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('YouTube metadata from the channel templates', () => {
  it('fills the default templates, in Education with Vietnamese as the default languages', () => {
    const metadata = buildVideoMetadata(lesson(), settings(), NOW);
    expect(metadata.snippet).toEqual({
      title: 'Toán 6 – Bài 5: Phân số',
      description: [
        'Bài 5: Phân số',
        '',
        'Ôn tập khái niệm phân số và so sánh phân số.',
        '',
        'Cấp học: Trung học cơ sở · Lớp: 6 · Môn: Toán',
        'Bộ sách: Kết nối tri thức với cuộc sống',
        'Đơn vị đóng góp: Sở Giáo dục và Đào tạo Hà Nội',
        'Giấy phép: Creative Commons Ghi công 4.0',
        'Xem học liệu trên Kho học liệu số dùng chung: https://hoclieu.example.vn/hoc-lieu/7d1c6a1e-0000-4000-8000-000000000001/tam-giac-dong-dang',
      ].join('\n'),
      tags: ['Toán', 'Toán 6', 'Lớp 6', 'Trung học cơ sở', 'Kết nối tri thức với cuộc sống', 'Chương 2. Phân số', 'Sở Giáo dục và Đào tạo Hà Nội'],
      categoryId: '27',
      defaultLanguage: 'vi',
      defaultAudioLanguage: 'vi',
    });
    expect(metadata.status).toEqual({ privacyStatus: 'unlisted', selfDeclaredMadeForKids: false, license: 'creativeCommon', embeddable: true });
    expect(metadata.warnings).toEqual([]);
  });

  it('drops lines and parts whose placeholders are all empty, and the blank lines they leave', () => {
    const metadata = buildVideoMetadata(lesson({
      level: { code: 'mam-non', name: 'Giáo dục mầm non' }, grades: [], subject: { code: 'lam-quen-toan', name: 'Làm quen với Toán' },
      series: null, description: null, contributor: null,
    }), settings(), NOW);
    expect(metadata.snippet.title).toBe('Làm quen với Toán – Bài 5: Phân số');
    expect(metadata.snippet.description).toBe([
      'Bài 5: Phân số',
      '',
      'Cấp học: Giáo dục mầm non · Môn: Làm quen với Toán',
      'Giấy phép: Creative Commons Ghi công 4.0',
      'Xem học liệu trên Kho học liệu số dùng chung: https://hoclieu.example.vn/hoc-lieu/7d1c6a1e-0000-4000-8000-000000000001/tam-giac-dong-dang',
    ].join('\n'));
    expect(metadata.snippet.description).not.toMatch(/Bộ sách|Lớp:|Đơn vị đóng góp/);
  });

  it('writes several grades as people do', () => {
    expect(formatGrades([7, 6])).toBe('6, 7');
    expect(formatGrades([12, 10, 11])).toBe('10–12');
    expect(formatGrades([6, 8, 9])).toBe('6, 8, 9');
    expect(buildVideoMetadata(lesson({ grades: [10, 11, 12], level: { code: 'thpt', name: 'Trung học phổ thông' } }), settings(), NOW).snippet.title).toBe('Toán 10–12 – Bài 5: Phân số');
  });

  it('leaves unknown placeholders visible and reports them; values are never expanded twice', () => {
    const metadata = buildVideoMetadata(lesson({ title: 'Mẫu {url} trong tiêu đề' }), settings({
      titleTemplate: '{title} ({teacher})', descriptionTemplate: '{title}\nGiáo viên: {teacher}\nNgày: {date}',
    }), NOW);
    expect(metadata.snippet.title).toBe('Mẫu {url} trong tiêu đề ({teacher})');
    expect(metadata.snippet.description).toBe('Mẫu {url} trong tiêu đề\nGiáo viên: {teacher}\nNgày: {date}');
    expect(metadata.warnings).toEqual([expect.stringContaining('{teacher}, {date}')]);
    expect(unknownPlaceholders('{subject} {grade}{series_suffix} {foo} {foo}')).toEqual(['foo']);
  });

  it('falls back to the material title when the title template renders empty', () => {
    const metadata = buildVideoMetadata(lesson({ series: null }), settings({ titleTemplate: ' {series} – ' }), NOW);
    expect(metadata.snippet.title).toBe('Bài 5: Phân số');
    expect(metadata.warnings).toEqual([expect.stringContaining('tiêu đề rỗng')]);
    expect(appError(() => buildVideoMetadata(lesson({ title: ' \t ', series: null }), settings({ titleTemplate: '{series}' }), NOW)).code).toBe('VIDEO_TITLE_EMPTY');
  });

  it('is NFC everywhere, whatever the input and templates were', () => {
    const nfd = (text: string) => text.normalize('NFD');
    const metadata = buildVideoMetadata(lesson({
      title: nfd('Bài 5: Phân số'), subject: { code: 'toan', name: nfd('Toán') }, description: nfd('Ôn tập phân số'), contributor: nfd('Sở GDĐT Hà Nội'),
    }), settings({ titleTemplate: nfd('{subject} {grade} – {title}'), descriptionTemplate: nfd('Mô tả: {description}\nĐơn vị: {province}') }), NOW);
    expect(metadata.snippet.title).toBe('Toán 6 – Bài 5: Phân số');
    expect(metadata.snippet.description).toBe('Mô tả: Ôn tập phân số\nĐơn vị: Sở GDĐT Hà Nội');
    for (const text of [metadata.snippet.title, metadata.snippet.description, ...metadata.snippet.tags]) expect(text).toBe(text.normalize('NFC'));
  });
});

describe('YouTube limits', () => {
  it('replaces < and > everywhere (YouTube refuses them) and keeps titles on one line', () => {
    const metadata = buildVideoMetadata(lesson({
      title: 'So sánh a < b và b > c\n<script>alert(1)</script>', description: 'Khi x<0 thì |x| > 0', lesson: '<b>Chương 2</b>',
    }), settings({ titleTemplate: '<{title}>' }), NOW);
    const { title, description, tags } = metadata.snippet;
    for (const text of [title, description, ...tags]) expect(text).not.toMatch(/[<>]/);
    expect(title).toBe('‹So sánh a ‹ b và b › c ‹script›alert(1)‹/script››');
    expect(description).toContain('Khi x‹0 thì |x| › 0');
    expect(tags).toContain('‹b›Chương 2‹/b›');
  });

  it('cuts a long title to 100 characters on a grapheme boundary, never inside an emoji, and says so', () => {
    const family = '👨‍👩‍👧‍👦';
    for (let pad = 0; pad < 12; pad++) {
      const longTitle = `${'x'.repeat(80 + pad)}${family}${family} Phân số và số thập phân`;
      const metadata = buildVideoMetadata(lesson({ title: longTitle }), settings({ titleTemplate: '{title}' }), NOW);
      const { title } = metadata.snippet;
      expect(title.length).toBeLessThanOrEqual(100);
      expect(title.endsWith('…')).toBe(true);
      expect(endsOnGraphemeBoundary(longTitle, title.slice(0, -1))).toBe(true);
      expect(title).not.toMatch(/\p{Cs}/u);
      expect(metadata.warnings).toEqual([expect.stringContaining('100 ký tự')]);
    }
  });

  it('cuts at a word boundary when one is near, and leaves a title of exactly 100 characters alone', () => {
    const words = 'Luyện tập chung về phân số, hỗn số và số thập phân trong chương trình Toán lớp sáu theo sách giáo khoa mới';
    const cut = buildVideoMetadata(lesson({ title: words }), settings({ titleTemplate: '{title}' }), NOW).snippet.title;
    expect(cut).toBe('Luyện tập chung về phân số, hỗn số và số thập phân trong chương trình Toán lớp sáu theo sách giáo…');
    const exact = 'a'.repeat(100);
    expect(buildVideoMetadata(lesson({ title: exact }), settings({ titleTemplate: '{title}' }), NOW).snippet.title).toBe(exact);
  });

  it('keeps a 6000-byte Vietnamese description within 5000 bytes by shortening the material description, so the link back survives', () => {
    // NFD input with combining marks that have no precomposed form (x̣, ṣ̂): a cut must not separate a letter from its marks.
    const paragraph = 'Học sinh ôn tập phép cộng, trừ phân số; x̣ ṣ̂ 👩🏽‍🏫 và giải bài toán có lời văn. '.normalize('NFD');
    const longDescription = paragraph.repeat(Math.ceil(6000 / utf8(paragraph)));
    expect(utf8(longDescription)).toBeGreaterThan(6000);
    const metadata = buildVideoMetadata(lesson({ description: longDescription }), settings(), NOW);
    const { description } = metadata.snippet;
    expect(utf8(description)).toBeLessThanOrEqual(5000);
    expect(utf8(description)).toBeGreaterThan(4700);
    expect(description).toBe(description.normalize('NFC'));
    expect(description.endsWith('https://hoclieu.example.vn/hoc-lieu/7d1c6a1e-0000-4000-8000-000000000001/tam-giac-dong-dang')).toBe(true);
    const kept = description.split('\n')[2]!;
    expect(kept.endsWith('…')).toBe(true);
    expect(endsOnGraphemeBoundary(longDescription.normalize('NFC'), kept.slice(0, -1))).toBe(true);
    expect(metadata.warnings).toEqual([expect.stringContaining('5000 byte')]);
  });

  it('cuts the end of the whole description when the template alone is too long, on a grapheme boundary', () => {
    const title = 'Ôn tập 🇻🇳 phân số '.repeat(5);
    const template = Array.from({ length: 80 }, () => '{title}').join('\n');
    const metadata = buildVideoMetadata(lesson({ title }), settings({ descriptionTemplate: template }), NOW);
    const { description } = metadata.snippet;
    expect(utf8(description)).toBeLessThanOrEqual(5000);
    expect(description.endsWith('…')).toBe(true);
    const full = Array.from({ length: 80 }, () => title.trim()).join('\n');
    expect(endsOnGraphemeBoundary(full, description.slice(0, -1))).toBe(true);
    expect(metadata.warnings).toContainEqual(expect.stringContaining('phần cuối đã bị cắt'));
  });

  it('keeps tags within 500 characters as YouTube counts them, dropping whole tags that do not fit', () => {
    const metadata = buildVideoMetadata(lesson({
      grades: [6, 7, 8, 9],
      lesson: `Chủ đề ${'rất dài '.repeat(60)}`.trim(),
      contributor: 'Sở GDĐT, Hà Nội "Thủ đô"',
      series: { code: 'canh-dieu', name: 'toán' },
    }), settings(), NOW);
    const { tags } = metadata.snippet;
    expect(youtubeTagLength(tags)).toBeLessThanOrEqual(500);
    // The very long lesson tag is dropped whole; the shorter contributor tag after it still fits.
    expect(tags.some((tag) => tag.startsWith('Chủ đề'))).toBe(false);
    expect(tags).toContain('Sở GDĐT Hà Nội Thủ đô');
    // "toán" (the series) repeats "Toán" (the subject): one tag.
    expect(tags.filter((tag) => tag.toLowerCase() === 'toán')).toHaveLength(1);
    expect(tags.slice(0, 9)).toEqual(['Toán', 'Toán 6', 'Toán 7', 'Toán 8', 'Toán 9', 'Lớp 6', 'Lớp 7', 'Lớp 8', 'Lớp 9']);
    expect(metadata.warnings).toEqual([expect.stringMatching(/^Bỏ 1 thẻ \(tag\).*Chủ đề rất dài/)]);
  });

  it('counts the quotation marks of tags with spaces and the commas between tags', () => {
    // 7 tags: Toán(4) "Toán 6"(6+2) "Lớp 6"(5+2) "Trung học cơ sở"(15+2), then a lesson of exactly what is left.
    const used = 4 + 8 + 7 + 17 + 3;
    const fitting = buildVideoMetadata(lesson({ series: null, contributor: null, lesson: 'x'.repeat(500 - used - 1) }), settings(), NOW);
    expect(youtubeTagLength(fitting.snippet.tags)).toBe(500);
    expect(fitting.snippet.tags).toHaveLength(5);
    const tooLong = buildVideoMetadata(lesson({ series: null, contributor: null, lesson: 'x'.repeat(500 - used) }), settings(), NOW);
    expect(tooLong.snippet.tags).toHaveLength(4);
  });
});

describe('YouTube status: licence, made for kids, privacy and scheduling', () => {
  it('declares creativeCommon only for CC BY itself', () => {
    expect(youtubeLicense('CC-BY-4.0')).toBe('creativeCommon');
    expect(youtubeLicense('CC-BY-3.0')).toBe('creativeCommon');
    for (const code of ['CC-BY-SA-4.0', 'CC-BY-NC-4.0', 'CC-BY-NC-SA-4.0', 'CC-BY-ND-4.0', 'CC-BY-NC-ND-4.0', 'CC0-1.0', 'all-rights-reserved']) {
      expect(youtubeLicense(code)).toBe('youtube');
    }
    expect(buildVideoMetadata(lesson({ license: { code: 'CC-BY-SA-4.0', name: 'CC BY-SA' } }), settings(), NOW).status.license).toBe('youtube');
  });

  it('declares made for kids for the levels of the channel rule, and says so in Vietnamese', () => {
    for (const level of [{ code: 'mam-non', name: 'Giáo dục mầm non' }, { code: 'tieu-hoc', name: 'Tiểu học' }]) {
      const metadata = buildVideoMetadata(lesson({ level }), settings(), NOW);
      expect(metadata.status.selfDeclaredMadeForKids).toBe(true);
      expect(metadata.warnings).toEqual([expect.stringContaining(`"dành cho trẻ em" (made for kids) với YouTube vì cấp học "${level.name}"`)]);
    }
    expect(buildVideoMetadata(lesson(), settings(), NOW).status.selfDeclaredMadeForKids).toBe(false);
    expect(buildVideoMetadata(lesson(), settings({ madeForKidsLevels: ['thcs'] }), NOW).status.selfDeclaredMadeForKids).toBe(true);
    expect(buildVideoMetadata(lesson({ level: { code: 'tieu-hoc', name: 'Tiểu học' } }), settings({ madeForKidsLevels: [] }), NOW).status.selfDeclaredMadeForKids).toBe(false);
  });

  it('uses the requested privacy, else the channel default', () => {
    expect(buildVideoMetadata(lesson({ privacy: 'public' }), settings(), NOW).status.privacyStatus).toBe('public');
    expect(buildVideoMetadata(lesson(), settings({ privacy: 'private' }), NOW).status.privacyStatus).toBe('private');
  });

  it('schedules publishing as YouTube requires: private until publishAt, and tells what happens then', () => {
    const metadata = buildVideoMetadata(lesson({ privacy: 'public', publishAt: '2026-12-01T07:00:00+07:00' }), settings(), NOW);
    expect(metadata.status).toMatchObject({ privacyStatus: 'private', publishAt: '2026-12-01T00:00:00.000Z' });
    expect(metadata.warnings).toEqual([expect.stringContaining('07:00')]);
    expect(metadata.warnings[0]).toContain('công khai');

    const unlisted = buildVideoMetadata(lesson({ privacy: 'unlisted', publishAt: new Date('2026-12-01T00:00:00Z') }), settings(), NOW);
    expect(unlisted.status.privacyStatus).toBe('private');
    expect(unlisted.warnings).toHaveLength(2);
    expect(unlisted.warnings[1]).toContain('unlisted');
  });

  it('refuses a publishAt in the past or that is not a time', () => {
    const past = appError(() => buildVideoMetadata(lesson({ publishAt: '2026-11-24T02:59:59Z' }), settings(), NOW));
    expect(past.code).toBe('PUBLISH_AT_PAST');
    expect(past.status).toBe(422);
    expect(past.describe('vi')).toContain('đã qua');
    expect(appError(() => buildVideoMetadata(lesson({ publishAt: NOW.toISOString() }), settings(), NOW)).code).toBe('PUBLISH_AT_PAST');
    const invalid = appError(() => buildVideoMetadata(lesson({ publishAt: 'ngày mai' }), settings(), NOW));
    expect(invalid.code).toBe('PUBLISH_AT_INVALID');
    expect(invalid.describe('en')).toContain('"ngày mai"');
  });
});

describe('playlists', () => {
  it('puts a video in one playlist per subject and grade, named from the template', () => {
    expect(playlistFor(lesson(), settings())).toEqual({ key: 'subject:toan|grades:6', title: 'Toán 6' });
    expect(playlistFor(lesson({ grades: [7, 6, 7] }), settings())).toEqual({ key: 'subject:toan|grades:6+7', title: 'Toán 6, 7' });
  });

  it('names the series only when the channel keeps one playlist per series', () => {
    const perSeries = settings({ playlist: { ...DEFAULT_CHANNEL_SETTINGS.playlist, perSeries: true } });
    expect(playlistFor(lesson(), perSeries)).toEqual({ key: 'subject:toan|grades:6|series:ket-noi-tri-thuc', title: 'Toán 6 – Kết nối tri thức với cuộc sống' });
    expect(playlistFor(lesson({ series: null }), perSeries)).toEqual({ key: 'subject:toan|grades:6|series:-', title: 'Toán 6' });
    // Without per-series playlists, a template naming {series} must not name the playlist after one video's series.
    expect(playlistFor(lesson(), settings({ playlist: { enabled: true, perSeries: false, nameTemplate: '{subject} {grade} {series}' } }))!.title).toBe('Toán 6');
  });

  it('uses the level when the material has no grade, and nothing when playlists are off', () => {
    const preschool = lesson({ level: { code: 'mam-non', name: 'Giáo dục mầm non' }, grades: [], subject: { code: 'lam-quen-toan', name: 'Làm quen với Toán' } });
    expect(playlistFor(preschool, settings())).toEqual({ key: 'subject:lam-quen-toan|level:mam-non', title: 'Làm quen với Toán' });
    expect(playlistFor(lesson(), settings({ playlist: { enabled: false, perSeries: false, nameTemplate: '{subject}' } }))).toBeNull();
  });

  it('keeps playlist titles within 150 characters and free of < >', () => {
    const playlist = playlistFor(lesson({ subject: { code: 'x', name: `<${'Môn học rất dài '.repeat(12)}>` } }), settings())!;
    expect(playlist.title.length).toBeLessThanOrEqual(150);
    expect(playlist.title).not.toMatch(/[<>]/);
    expect(playlist.title.endsWith('…')).toBe(true);
  });
});
