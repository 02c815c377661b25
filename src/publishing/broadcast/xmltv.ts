import { XMLBuilder } from 'fast-xml-parser';
import { onscreenEpisode, type ScheduleChannel, type ScheduleEntry } from './schedule-entry.js';
import { xmltvTime } from '../../core/zoned-time.js';

/** Characters XML 1.0 cannot carry at all, even escaped: they are dropped, not encoded. */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const text = (value: string) => ({ '@_lang': 'vi', '#text': value.replace(XML_INVALID, '') });

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, processEntities: true, suppressEmptyNode: true });

/**
 * The schedule as XMLTV (xmltv.dtd), the format TV guides and set-top boxes import. Programme
 * times carry the offset of their channel's zone. Children follow the DTD's order: title, desc,
 * category, url, episode-num.
 */
export function buildXmltv(channels: ScheduleChannel[], entries: ScheduleEntry[], generator: { name: string; url: string }): string {
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    tv: {
      '@_generator-info-name': generator.name,
      '@_generator-info-url': generator.url,
      channel: channels.map((channel) => ({ '@_id': channel.code, 'display-name': text(channel.name) })),
      programme: entries.map((entry) => ({
        '@_start': xmltvTime(entry.start, entry.channel.timezone),
        '@_stop': xmltvTime(entry.end, entry.channel.timezone),
        '@_channel': entry.channel.code,
        title: text(entry.material.title),
        ...(entry.material.description ? { desc: text(entry.material.description) } : {}),
        category: [entry.material.level.name, ...entry.material.grades.map((g) => g.name), entry.material.subject.name].map(text),
        url: entry.material.url,
        'episode-num': { '@_system': 'onscreen', '#text': onscreenEpisode(entry.episode) },
      })),
    },
  };
  const xml = builder.build(document) as string;
  // XMLBuilder writes no document type declaration; it belongs right after the XML declaration.
  return xml.replace(/^(<\?xml[^>]*\?>\n?)/, '$1<!DOCTYPE tv SYSTEM "xmltv.dtd">\n');
}
