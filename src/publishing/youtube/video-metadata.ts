import { displayTime } from '../../core/zoned-time.js';
import { AppError } from '../../core/errors.js';
import { toNFC } from '../../core/text.js';
import type { ChannelSettings, PrivacyStatus } from './model.js';

/**
 * The metadata of a video on YouTube, made from a channel's templates and a material version,
 * within the limits the Data API enforces (a value over a limit fails the whole upload). Pure.
 *
 * Limits (videos resource, YouTube Data API v3): snippet.title at most 100 characters,
 * snippet.description at most 5000 bytes of UTF-8, neither may contain `<` or `>`;
 * snippet.tags at most 500 characters in total, where the commas between tags count and a tag
 * with a space counts as if it were wrapped in quotation marks; playlist titles at most 150
 * characters. "Characters" are counted as UTF-16 code units, the strictest reading (an emoji
 * counts twice), so a value within our count is within YouTube's however it counts.
 */

export const YOUTUBE_LIMITS = { titleChars: 100, descriptionBytes: 5000, tagsChars: 500, playlistTitleChars: 150 } as const;

/** YouTube's category "Education". */
export const EDUCATION_CATEGORY_ID = '27';

export const TEMPLATE_PLACEHOLDERS = ['title', 'level', 'grade', 'subject', 'lesson', 'series', 'series_suffix', 'province', 'license', 'url', 'description'] as const;
type Placeholder = (typeof TEMPLATE_PLACEHOLDERS)[number];
type PlaceholderValues = Record<Placeholder, string>;

export interface VideoMetadataInput {
  /** The material version's own title and description. */
  title: string;
  description: string | null;
  /** Codes and Vietnamese names from the taxonomy. */
  level: { code: string; name: string };
  grades: number[];
  subject: { code: string; name: string };
  series: { code: string; name: string } | null;
  /** The lesson or topic of the version. */
  lesson: string | null;
  /** The contributing province (Sở GDĐT) or organisation, by name. */
  contributor: string | null;
  /** Taxonomy licence code (CC-BY-4.0, CC-BY-SA-4.0, …, all-rights-reserved) and its Vietnamese name. */
  license: { code: string; name: string };
  /** Link back to the material: {publicUrl}/materials/{id}. */
  url: string;
  /** The privacy asked for on this export; the channel's default when absent. */
  privacy?: PrivacyStatus;
  /** Scheduled publishing time; it makes the video private until then. */
  publishAt?: string | Date | null;
}

export type PlaylistInput = Pick<VideoMetadataInput, 'level' | 'grades' | 'subject' | 'series'>;

export interface VideoMetadata {
  snippet: {
    title: string;
    description: string;
    tags: string[];
    categoryId: typeof EDUCATION_CATEGORY_ID;
    defaultLanguage: 'vi';
    defaultAudioLanguage: 'vi';
  };
  status: {
    privacyStatus: PrivacyStatus;
    publishAt?: string;
    selfDeclaredMadeForKids: boolean;
    license: 'creativeCommon' | 'youtube';
    embeddable: true;
  };
  /** What the publisher must know: cuts, dropped tags, unknown placeholders, made for kids, scheduling. In Vietnamese. */
  warnings: string[];
}

const ELLIPSIS = '…';
const PLACEHOLDER = /\{([a-z_]+)\}/g;
/** Separators between the parts of a template line; a part whose placeholders are all empty is left out. */
const PART_SEPARATOR = ' · ';
const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });
const utf16Length = (text: string) => text.length;
const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

export function buildVideoMetadata(input: VideoMetadataInput, settings: ChannelSettings, now: Date = new Date()): VideoMetadata {
  const warnings: string[] = [];
  const values = placeholderValues(input);

  const unknown = new Set([...unknownPlaceholders(settings.titleTemplate), ...unknownPlaceholders(settings.descriptionTemplate)]);
  if (unknown.size) {
    warnings.push(`Mẫu của kênh có chỗ điền không xác định, được giữ nguyên trong tiêu đề/mô tả: ${[...unknown].map((name) => `{${name}}`).join(', ')}.`);
  }

  const title = videoTitle(settings, values, warnings);
  const description = videoDescription(settings, values, warnings);
  const tags = videoTags(input, warnings);
  const status = videoStatus(input, settings, now, warnings);
  return {
    snippet: { title, description, tags, categoryId: EDUCATION_CATEGORY_ID, defaultLanguage: 'vi', defaultAudioLanguage: 'vi' },
    status,
    warnings,
  };
}

/**
 * The playlist a video goes into: one per subject and grade(s) (the level when the material has
 * no grade, as in mầm non), and per textbook series too when the channel asks for it. The key
 * identifies the playlist among the channel's; the title comes from the channel's template.
 */
export function playlistFor(input: PlaylistInput, settings: ChannelSettings): { key: string; title: string } | null {
  if (!settings.playlist.enabled) return null;
  const normalized = toNFC(input);
  const grades = [...new Set(normalized.grades)].sort((a, b) => a - b);
  const parts = [`subject:${normalized.subject.code}`, grades.length ? `grades:${grades.join('+')}` : `level:${normalized.level.code}`];
  if (settings.playlist.perSeries) parts.push(`series:${normalized.series?.code ?? '-'}`);

  // A playlist that spans every series must not be named after the first video's series.
  const series = settings.playlist.perSeries ? normalized.series : null;
  const values = placeholderValues({ level: normalized.level, grades: normalized.grades, subject: normalized.subject, series });
  const rendered = tidyLine(renderTemplate(clean(settings.playlist.nameTemplate, false), values));
  const title = rendered || tidyLine(`${values.subject} ${values.grade || values.level}`);
  return { key: parts.join('|'), title: cut(title, YOUTUBE_LIMITS.playlistTitleChars, utf16Length, 20).text };
}

/** Placeholders of a template that are not ours: they stay visible in the output, and are reported. */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(TEMPLATE_PLACEHOLDERS);
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !known.has(name)))];
}

/**
 * YouTube's "creativeCommon" licence is CC BY itself (attribution only). Share-alike,
 * non-commercial and no-derivatives variants, CC0 and all rights reserved stay under the
 * standard YouTube licence: declaring CC BY for them would grant rights the author did not.
 */
export function youtubeLicense(licenseCode: string): 'creativeCommon' | 'youtube' {
  return /^CC-BY-\d+(\.\d+)?$/i.test(licenseCode.trim()) ? 'creativeCommon' : 'youtube';
}

/** Grades as people write them: "6", "6, 8", a run as "10–12". */
export function formatGrades(grades: number[]): string {
  const sorted = [...new Set(grades)].sort((a, b) => a - b);
  const isRun = sorted.length >= 3 && sorted.every((grade, i) => i === 0 || grade === sorted[i - 1]! + 1);
  return isRun ? `${sorted[0]}–${sorted[sorted.length - 1]}` : sorted.join(', ');
}

/** What a template can be filled from: a video's material version, or only its taxonomy for a playlist name. */
type TemplateInput = PlaylistInput & Partial<Pick<VideoMetadataInput, 'title' | 'description' | 'lesson' | 'contributor' | 'license' | 'url'>>;

function placeholderValues(input: TemplateInput): PlaceholderValues {
  const n = toNFC(input);
  const line = (value: string | null | undefined) => clean(value ?? '', false).trim();
  const series = line(n.series?.name);
  return {
    title: line(n.title),
    level: line(n.level.name),
    grade: formatGrades(n.grades),
    subject: line(n.subject.name),
    lesson: line(n.lesson),
    series,
    series_suffix: series ? ` – ${series}` : '',
    province: line(n.contributor),
    license: line(n.license?.name),
    url: line(n.url),
    // Only the material's description keeps its line breaks: it goes into the (multi-line) video description.
    description: clean(n.description ?? '', true).trim(),
  };
}

/**
 * Text YouTube accepts: NFC, no `<` or `>` (replaced by the look-alike ‹ ›), no control
 * characters or unpaired surrogates, and line breaks only where lines are allowed.
 */
function clean(text: string, keepLineBreaks: boolean): string {
  const normalized = text.normalize('NFC').replace(/\r\n?/g, '\n')
    .replace(/</g, '‹').replace(/>/g, '›')
    .replace(/\p{Cs}/gu, '')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
  return keepLineBreaks ? normalized.replace(/[ \t]+$/gm, '') : normalized.replace(/\s+/g, ' ');
}

/** Replaces known placeholders in one pass (a value that contains "{url}" is not expanded again). */
function renderTemplate(template: string, values: PlaceholderValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (name in values ? values[name as Placeholder] : whole));
}

/** Whether a piece of template names placeholders of ours and every one of them is empty. */
function allPlaceholdersEmpty(piece: string, values: PlaceholderValues): boolean {
  const names = [...piece.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => name in values);
  return names.length > 0 && names.every((name) => !values[name as Placeholder]);
}

/**
 * Renders a multi-line template: a line (or a " · " part of a line) whose placeholders are all
 * empty is dropped, so that no "Bộ sách: " is left with nothing after it; runs of blank lines
 * that this leaves collapse into one.
 */
function renderLines(template: string, values: PlaceholderValues): string {
  const lines: string[] = [];
  for (const line of template.split('\n')) {
    if (allPlaceholdersEmpty(line, values)) continue;
    const parts = line.split(PART_SEPARATOR).filter((part) => !allPlaceholdersEmpty(part, values));
    lines.push(renderTemplate(parts.join(PART_SEPARATOR), values).trimEnd());
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** One line without the doubled spaces and dangling separators that empty placeholders leave. */
function tidyLine(text: string): string {
  return text.replace(/\s+/g, ' ')
    .replace(/([–—·|])(?:\s*[–—·|])+/g, '$1')
    .replace(/^[\s–—·|:,-]+|[\s–—·|:,-]+$/g, '');
}

/**
 * Cuts text to a limit in some measure (UTF-16 units or UTF-8 bytes), ellipsis included, on a
 * grapheme boundary: never inside a surrogate pair, an emoji sequence or a letter and its
 * combining marks. Backs off to the last space when it is within `wordBackoff` of the cut.
 */
function cut(text: string, limit: number, measure: (s: string) => number, wordBackoff: number): { text: string; truncated: boolean } {
  if (measure(text) <= limit) return { text, truncated: false };
  const budget = limit - measure(ELLIPSIS);
  let used = 0;
  let end = 0;
  let lastSpace = -1;
  for (const { segment, index } of graphemes.segment(text)) {
    const size = measure(segment);
    if (used + size > budget) break;
    used += size;
    end = index + segment.length;
    if (/^\s+$/.test(segment)) lastSpace = index;
  }
  const cutAt = lastSpace > 0 && measure(text.slice(lastSpace, end)) <= wordBackoff ? lastSpace : end;
  return { text: text.slice(0, cutAt).trimEnd() + ELLIPSIS, truncated: true };
}

function videoTitle(settings: ChannelSettings, values: PlaceholderValues, warnings: string[]): string {
  let title = tidyLine(renderTemplate(clean(settings.titleTemplate, false), values));
  if (!title) {
    title = values.title;
    if (title) warnings.push('Mẫu tiêu đề của kênh cho ra tiêu đề rỗng; dùng tiêu đề của học liệu.');
  }
  if (!title) throw new AppError('VIDEO_TITLE_EMPTY');
  const result = cut(title, YOUTUBE_LIMITS.titleChars, utf16Length, 20);
  if (result.truncated) warnings.push(`Tiêu đề dài hơn ${YOUTUBE_LIMITS.titleChars} ký tự YouTube cho phép nên đã được cắt ngắn.`);
  return result.text;
}

/**
 * The description within 5000 bytes. When it is too long, the material's own description is
 * shortened first, so that the lines after it (licence, link back to the material) survive;
 * only if that is not enough is the end of the whole text cut.
 */
function videoDescription(settings: ChannelSettings, values: PlaceholderValues, warnings: string[]): string {
  const limit = YOUTUBE_LIMITS.descriptionBytes;
  const template = clean(settings.descriptionTemplate, true);
  let text = renderLines(template, values);
  if (utf8Length(text) <= limit) return text;

  const uses = [...template.matchAll(PLACEHOLDER)].filter((m) => m[1] === 'description').length;
  if (uses > 0 && values.description) {
    const overflow = utf8Length(text) - limit;
    const room = utf8Length(values.description) - Math.ceil(overflow / uses);
    const shortened = room > utf8Length(ELLIPSIS) ? cut(values.description, room, utf8Length, 200).text : '';
    text = renderLines(template, { ...values, description: shortened });
    warnings.push(`Mô tả vượt quá ${limit} byte YouTube cho phép nên phần mô tả học liệu đã được rút gọn.`);
  }
  const result = cut(text, limit, utf8Length, 200);
  if (result.truncated) warnings.push(`Mô tả vẫn vượt quá ${limit} byte nên phần cuối đã bị cắt.`);
  return result.text;
}

/** How YouTube counts a tag toward the 500 characters: with the quotation marks it adds around a tag with a space. */
function tagCost(tag: string): number {
  return tag.length + (/\s/.test(tag) ? 2 : 0);
}

/**
 * Tags from the taxonomy, most useful first: subject, subject + grade, grade, level, series,
 * lesson, contributor. A tag that does not fit the 500 characters is dropped whole (a cut tag is
 * a wrong tag), and later, shorter tags may still fit.
 */
function videoTags(input: VideoMetadataInput, warnings: string[]): string[] {
  const n = toNFC(input);
  const grades = [...new Set(n.grades)].sort((a, b) => a - b);
  const candidates = [
    n.subject.name,
    ...grades.map((grade) => `${n.subject.name} ${grade}`),
    ...grades.map((grade) => `Lớp ${grade}`),
    n.level.name,
    n.series?.name,
    n.lesson,
    n.contributor,
  ];
  const seen = new Set<string>();
  const tags: string[] = [];
  const dropped: string[] = [];
  let total = 0;
  for (const candidate of candidates) {
    // Commas separate tags and quotation marks delimit them: inside a tag they would change its meaning.
    const tag = clean(candidate ?? '', false).replace(/[,"]/g, ' ').replace(/\s+/g, ' ').trim();
    const folded = tag.toLocaleLowerCase('vi');
    if (!tag || seen.has(folded)) continue;
    seen.add(folded);
    const cost = tagCost(tag) + (tags.length ? 1 : 0);
    if (total + cost > YOUTUBE_LIMITS.tagsChars) {
      dropped.push(tag);
      continue;
    }
    tags.push(tag);
    total += cost;
  }
  if (dropped.length) warnings.push(`Bỏ ${dropped.length} thẻ (tag) vì tổng độ dài vượt quá ${YOUTUBE_LIMITS.tagsChars} ký tự YouTube cho phép: ${dropped.join('; ')}.`);
  return tags;
}


function videoStatus(input: VideoMetadataInput, settings: ChannelSettings, now: Date, warnings: string[]): VideoMetadata['status'] {
  const madeForKids = settings.madeForKidsLevels.includes(input.level.code);
  if (madeForKids) {
    warnings.push(`Video được khai báo "dành cho trẻ em" (made for kids) với YouTube vì cấp học "${input.level.name.normalize('NFC')}" thuộc quy tắc của kênh: `
      + 'YouTube tắt bình luận, thông báo và quảng cáo cá nhân hoá cho video này. Khai báo này có giá trị pháp lý.');
  }
  const common = { selfDeclaredMadeForKids: madeForKids, license: youtubeLicense(input.license.code), embeddable: true as const };
  if (input.publishAt === undefined || input.publishAt === null) {
    return { privacyStatus: input.privacy ?? (settings.privacy === 'scheduled' ? 'private' : settings.privacy), ...common };
  }

  const publishAt = input.publishAt instanceof Date ? input.publishAt : new Date(input.publishAt);
  if (Number.isNaN(publishAt.getTime())) throw new AppError('PUBLISH_AT_INVALID', { value: String(input.publishAt) });
  if (publishAt.getTime() <= now.getTime()) throw new AppError('PUBLISH_AT_PAST', { publishAt: `${displayTime(publishAt)} (giờ Việt Nam)` });
  // YouTube schedules only private videos, and at publishAt it makes them public (not unlisted).
  warnings.push(`Video được hẹn giờ: để riêng tư đến ${displayTime(publishAt)} (giờ Việt Nam), khi đó YouTube tự chuyển sang công khai.`);
  if ((input.privacy ?? settings.privacy) === 'unlisted') warnings.push('Chế độ "không công khai" (unlisted) không hẹn giờ được trên YouTube: đến giờ hẹn video sẽ ở chế độ công khai.');
  return { privacyStatus: 'private', publishAt: publishAt.toISOString(), ...common };
}
