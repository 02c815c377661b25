import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { ScheduleEntry } from '../../src/publishing/broadcast/schedule-entry.js';
import { buildXmltv, xmltvChannelId } from '../../src/publishing/broadcast/xmltv.js';
import { displayDuration, displayTime, isoInZone, isTimeZone, startOfDay, xmltvTime } from '../../src/core/zoned-time.js';

describe('zoned times', () => {
  it('write XMLTV times with the offset the zone has at that instant, daylight saving included', () => {
    expect(xmltvTime(new Date('2030-01-07T12:00:00Z'), 'Asia/Ho_Chi_Minh')).toBe('20300107190000 +0700');
    expect(xmltvTime(new Date('2030-01-07T12:00:00Z'), 'Europe/Paris')).toBe('20300107130000 +0100');
    expect(xmltvTime(new Date('2030-07-07T12:00:00Z'), 'Europe/Paris')).toBe('20300707140000 +0200');
    expect(xmltvTime(new Date('2030-07-07T12:00:00Z'), 'America/St_Johns')).toBe('20300707093000 -0230');
  });

  it('show instants in Vietnam time', () => {
    expect(isoInZone(new Date('2030-12-31T17:30:00Z'))).toBe('2031-01-01T00:30:00+07:00');
    expect(displayTime(new Date('2030-12-31T17:30:00Z'))).toBe('00:30 01/01/2031');
    expect(startOfDay(new Date('2030-12-31T17:30:00Z')).toISOString()).toBe('2030-12-31T17:00:00.000Z');
    expect(startOfDay(new Date('2030-12-31T16:59:59Z')).toISOString()).toBe('2030-12-30T17:00:00.000Z');
  });

  it('format durations and recognise IANA zones', () => {
    expect(displayDuration(3)).toBe('0:03');
    expect(displayDuration(25 * 60 + 2.6)).toBe('25:03');
    expect(displayDuration(3723)).toBe('1:02:03');
    expect(isTimeZone('Asia/Ho_Chi_Minh')).toBe(true);
    expect(isTimeZone('Asia/Hanoi_City')).toBe(false);
  });
});

describe('XMLTV', () => {
  const entry: ScheduleEntry = {
    id: 'slot-1', channel: { code: 'vtv7', name: 'VTV7', kind: 'tv', timezone: 'Asia/Ho_Chi_Minh' },
    start: new Date('2030-01-07T12:00:00Z'), end: new Date('2030-01-07T12:25:00Z'), status: 'scheduled', createdAt: new Date(), episode: 4,
    material: {
      id: 'm-1', version: 1, title: 'Ôn tập <chương 1> & "bài tập"\u0007 ✏️', description: null, url: 'https://hoclieu.example/hoc-lieu/m-1/on-tap?a=1&b=2',
      level: { code: 'thpt', name: 'Trung học phổ thông' }, grades: [{ grade: 11, name: 'Lớp 11' }, { grade: 12, name: 'Lớp 12' }],
      subject: { code: 'vat-li', name: 'Vật lí' }, series: null,
    },
  };

  it('escapes markup, drops characters XML cannot carry, and leaves out an empty description', () => {
    const xml = buildXmltv([entry.channel], [entry], { name: 'Hoclieu', url: 'https://hoclieu.example' });
    expect(xml).not.toContain('\u0007');
    expect(xml).toContain('?a=1&amp;b=2');
    const programme = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(xml).tv.programme;
    expect(programme.title['#text']).toBe('Ôn tập <chương 1> & "bài tập" ✏️');
    expect(programme.desc).toBeUndefined();
    expect(programme.category.map((c: { '#text': string }) => c['#text'])).toEqual(['Trung học phổ thông', 'Lớp 11', 'Lớp 12', 'Vật lí']);
    expect(programme['episode-num']).toEqual({ '@_system': 'onscreen', '#text': 'Tập 4' });
    expect([programme['@_start'], programme['@_stop']]).toEqual(['20300107190000 +0700', '20300107192500 +0700']);
  });

  it('names channels in the RFC 2838 form, code then public host, and lists only channels on the air', () => {
    const radio = { code: 'vov1', name: 'VOV1', kind: 'radio' as const, timezone: 'Asia/Ho_Chi_Minh' };
    const xml = buildXmltv([entry.channel, radio], [entry], { name: 'Hoclieu', url: 'https://hoclieu.example:8443' });
    const tv = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(xml).tv;
    expect(tv.channel['@_id']).toBe('vtv7.hoclieu.example');
    expect(tv.programme['@_channel']).toBe('vtv7.hoclieu.example');
    expect(xmltvChannelId('htv-giao-duc', 'http://localhost:3000')).toBe('htv-giao-duc.localhost');
    expect(xmltvChannelId('vtv7', 'http://[::1]:3000')).toMatch(/^vtv7(\.[-a-zA-Z0-9]+)+$/);
  });
});
