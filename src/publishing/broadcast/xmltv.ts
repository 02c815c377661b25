import { XMLBuilder } from 'fast-xml-parser';
import { onscreenEpisode, type ScheduleChannel, type ScheduleEntry } from './schedule-entry.js';
import { xmltvTime } from '../../core/zoned-time.js';

/** Characters XML 1.0 cannot carry at all, even escaped: they are dropped, not encoded. */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const text = (value: string) => ({ '@_lang': 'vi', '#text': value.replace(XML_INVALID, '') });

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, processEntities: true, suppressEmptyNode: true });

/**
 * A channel's XMLTV id in the RFC 2838 form the format expects (`vtv7.hoclieu.edu.vn`): the code
 * followed by the host of the public address, so ids stay unique when guides merge several sources.
 * Characters a host name cannot carry (an IPv6 address's brackets and colons) become hyphens.
 */
export function xmltvChannelId(code: string, publicUrl: string): string {
  const host = new URL(publicUrl).hostname.replace(/[^a-zA-Z0-9.-]+/g, '-').replace(/^[.-]+|[.-]+$/g, '');
  return `${code}.${host}`;
}

/**
 * The schedule as XMLTV (xmltv.dtd), the format TV guides and set-top boxes import. Programme
 * times carry the offset of their channel's zone. Children follow the DTD's order: title, desc,
 * category, url, episode-num. Only channels with a programme in the window are listed: a channel
 * without one is an error to XMLTV's own validator (tv_validate_file), and tells a guide nothing.
 */
export function buildXmltv(channels: ScheduleChannel[], entries: ScheduleEntry[], site: { name: string; url: string }): string {
  const id = (code: string) => xmltvChannelId(code, site.url);
  const airing = new Set(entries.map((entry) => entry.channel.code));
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    tv: {
      '@_generator-info-name': site.name,
      '@_generator-info-url': site.url,
      channel: channels.filter((channel) => airing.has(channel.code)).map((channel) => ({ '@_id': id(channel.code), 'display-name': text(channel.name) })),
      programme: entries.map((entry) => ({
        '@_start': xmltvTime(entry.start, entry.channel.timezone),
        '@_stop': xmltvTime(entry.end, entry.channel.timezone),
        '@_channel': id(entry.channel.code),
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
