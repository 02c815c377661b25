import { licenceUrl } from './licence.js';
import type { ShownFile } from './material-media.js';
import { mp4Rendition, posterUrl, renditionUrl } from './material-media.js';

export interface JsonLdInput {
  url: string;
  absolute: (path: string) => string;
  title: string;
  description: string | null;
  language: string;
  levelName: string;
  gradeNames: string[];
  subjectName: string;
  typeName: string;
  licenceCode: string;
  author: string;
  school: string;
  publishedAt: Date | string | null;
  version: number;
  /** The first processed video, if any: it becomes a VideoObject. */
  video: ShownFile | null;
}

/** schema.org LearningResource of a material, plus a VideoObject for its video (Google's video rich results). */
export function materialJsonLd(input: JsonLdInput): object[] {
  const licence = licenceUrl(input.licenceCode);
  const published = input.publishedAt ? new Date(input.publishedAt).toISOString() : undefined;
  const resource = {
    '@context': 'https://schema.org', '@type': 'LearningResource',
    name: input.title, ...(input.description ? { description: input.description } : {}), url: input.url, inLanguage: input.language,
    learningResourceType: input.typeName, educationalLevel: [input.levelName, ...input.gradeNames], about: input.subjectName,
    ...(licence ? { license: licence } : {}), isAccessibleForFree: true, version: String(input.version),
    ...(published ? { datePublished: published } : {}),
    author: { '@type': 'Person', name: input.author },
    sourceOrganization: { '@type': 'EducationalOrganization', name: input.school },
  };
  if (!input.video) return [resource];
  const mp4 = mp4Rendition(input.video);
  const video = {
    '@context': 'https://schema.org', '@type': 'VideoObject',
    name: input.title, description: input.description ?? input.title, thumbnailUrl: input.absolute(posterUrl(input.video, 1280)),
    ...(published ? { uploadDate: published } : {}), ...(mp4 ? { contentUrl: input.absolute(renditionUrl(input.video, mp4)) } : {}),
    inLanguage: input.language, embedUrl: input.url,
  };
  return [resource, video];
}
