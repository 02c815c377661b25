import { describe, expect, it } from 'vitest';
import { rowsToSlots, slotTime } from '../../src/publishing/broadcast/slot-file.js';

const ID = '0b9a3f3e-6d1c-4c59-9a57-7f2b1f0e4c11';
const records = (...lines: string[][]) => lines.map((cells, i) => ({ line: i + 1, cells }));

describe('broadcast schedule files', () => {
  it('read the times publishers write, in Vietnam time, and refuse impossible dates', () => {
    expect(slotTime('2030-01-07 19:00')).toBe('2030-01-07T19:00:00+07:00');
    expect(slotTime('7/1/2030 7:05')).toBe('2030-01-07T07:05:00+07:00');
    expect(slotTime('2030-01-07T19:00:30')).toBe('2030-01-07T19:00:30+07:00');
    expect(slotTime('2030-01-07T12:00:00Z')).toBe('2030-01-07T12:00:00Z');
    expect(slotTime('2030-01-07T19:00:00+09:00')).toBe('2030-01-07T19:00:00+09:00');
    for (const wrong of ['31/02/2030 19:00', '2030-01-07 24:00', '2030-13-01 10:00', '19:00', 'thứ hai 19 giờ', '']) expect(slotTime(wrong), wrong).toBeNull();
  });

  it('find the header under a title whatever its accents, take ids or links, and report each unreadable row by its line', () => {
    const { rows, problems } = rowsToSlots(records(
      ['Lịch phát sóng tuần 2', '', ''],
      ['KENH', 'Hoc lieu', 'Bat dau', 'Kết thúc'],
      ['VTV7', `https://hoclieu.edu.vn/hoc-lieu/${ID}/tam-giac`, '2030-01-07 19:00', '2030-01-07 19:30'],
      ['', '', '', ''],
      ['vtv 7', 'bài 3', '', ''],
      ['vtv7', ID, '2030-01-08 19:00', '25:00'],
    ));
    expect(rows).toEqual([{ line: 3, slot: { channelCode: 'vtv7', materialId: ID, start: '2030-01-07T19:00:00+07:00', end: '2030-01-07T19:30:00+07:00' } }]);
    expect(problems.map((p) => p.line)).toEqual([5, 6]);
    expect(problems[0]!.message).toBe('mã kênh "vtv 7" không hợp lệ; "bài 3" không phải mã hay đường dẫn của học liệu; thiếu giờ bắt đầu.');
    expect(problems[1]!.message).toContain('giờ kết thúc "25:00" không đọc được');
  });

  it('refuse a file without the header or without rows', () => {
    expect(() => rowsToSlots(records(['a', 'b']))).toThrow(expect.objectContaining({ code: 'BROADCAST_FILE_MALFORMED' }));
    expect(() => rowsToSlots(records(['Kênh', 'Học liệu', 'Bắt đầu']))).toThrow(expect.objectContaining({ code: 'BROADCAST_FILE_MALFORMED' }));
  });
});
