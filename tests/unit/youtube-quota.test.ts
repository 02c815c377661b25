import { describe, expect, it } from 'vitest';
import { DEFAULT_YOUTUBE_QUOTA, type YouTubeQuota } from '../../src/core/config.js';
import { nextScheduledTime } from '../../src/publishing/youtube/model.js';
import { expectedStarts, exportCost, fits, nextQuotaReset, quotaDay } from '../../src/publishing/youtube/quota.js';

const vietnamTime = (d: Date) => new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);

describe('YouTube quota days', () => {
  it('counts days in Pacific time and resets at its midnight: 15:00 in Vietnam in winter, 14:00 in summer', () => {
    const winter = new Date('2026-11-24T10:00:00Z');
    expect(quotaDay(winter)).toBe('2026-11-24');
    expect(nextQuotaReset(winter).toISOString()).toBe('2026-11-25T08:00:00.000Z');
    expect(vietnamTime(nextQuotaReset(winter))).toBe('15:00');
    const summer = new Date('2026-07-01T10:00:00Z');
    expect(nextQuotaReset(summer).toISOString()).toBe('2026-07-02T07:00:00.000Z');
    expect(vietnamTime(nextQuotaReset(summer))).toBe('14:00');
    // 07:59 UTC on 25 November is still 24 November in California.
    expect(quotaDay(new Date('2026-11-25T07:59:00Z'))).toBe('2026-11-24');
  });

  it('finds the reset across a daylight-saving change (clocks go back on 1 November 2026)', () => {
    expect(nextQuotaReset(new Date('2026-10-31T12:00:00Z')).toISOString()).toBe('2026-11-01T07:00:00.000Z');
    expect(nextQuotaReset(new Date('2026-11-01T12:00:00Z')).toISOString()).toBe('2026-11-02T08:00:00.000Z');
    expect(nextQuotaReset(new Date('2026-03-08T12:00:00Z')).toISOString()).toBe('2026-03-09T07:00:00.000Z');
  });
});

describe('YouTube quota budgets', () => {
  const now = new Date('2026-11-24T10:00:00Z');
  const full = { upload: true, thumbnail: true, captions: 1, playlist: 'create' as const };

  it('costs an upload from its own bucket under current rules, and 1 600 units under older ones', () => {
    expect(exportCost(DEFAULT_YOUTUBE_QUOTA, full)).toEqual({ uploads: 1, units: 10 + 50 + 400 + 50 + 50 + 1 });
    const legacy: YouTubeQuota = { ...DEFAULT_YOUTUBE_QUOTA, dailyUploads: 0, costs: { ...DEFAULT_YOUTUBE_QUOTA.costs, videosInsert: 1600 } };
    expect(exportCost(legacy, { ...full, captions: 0, playlist: 'existing' })).toEqual({ uploads: 0, units: 1600 + 10 + 50 + 50 });
    expect(exportCost(DEFAULT_YOUTUBE_QUOTA, { upload: false, thumbnail: false, captions: 0, playlist: 'none' })).toEqual({ uploads: 0, units: 51 });
  });

  it('fits a cost only within what is left today, nothing while paused, and a fresh budget on a new day', () => {
    const cost = { uploads: 1, units: 561 };
    expect(fits(DEFAULT_YOUTUBE_QUOTA, { day: '2026-11-24', unitsUsed: 9400, uploadsUsed: 3, pausedUntil: null }, cost, now)).toBe(true);
    expect(fits(DEFAULT_YOUTUBE_QUOTA, { day: '2026-11-24', unitsUsed: 9500, uploadsUsed: 3, pausedUntil: null }, cost, now)).toBe(false);
    expect(fits(DEFAULT_YOUTUBE_QUOTA, { day: '2026-11-24', unitsUsed: 0, uploadsUsed: 100, pausedUntil: null }, cost, now)).toBe(false);
    expect(fits(DEFAULT_YOUTUBE_QUOTA, { day: '2026-11-23', unitsUsed: 10_000, uploadsUsed: 100, pausedUntil: null }, cost, now)).toBe(true);
    expect(fits(DEFAULT_YOUTUBE_QUOTA, { day: '2026-11-24', unitsUsed: 0, uploadsUsed: 0, pausedUntil: new Date('2026-11-25T08:00:00Z') }, cost, now)).toBe(false);
  });

  it('expects the queue to start today while the budget lasts, then from each reset', () => {
    const quota: YouTubeQuota = { ...DEFAULT_YOUTUBE_QUOTA, dailyUploads: 2 };
    const cost = { uploads: 1, units: 100 };
    const starts = expectedStarts(quota, { day: '2026-11-24', unitsUsed: 0, uploadsUsed: 1, pausedUntil: null }, [cost, cost, cost, cost, { uploads: 3, units: 1 }], now);
    expect(starts.map((d) => d?.toISOString() ?? null)).toEqual([
      now.toISOString(), '2026-11-25T08:00:00.000Z', '2026-11-25T08:00:00.000Z', '2026-11-26T08:00:00.000Z', null,
    ]);
    const paused = expectedStarts(quota, { day: '2026-11-24', unitsUsed: 0, uploadsUsed: 0, pausedUntil: new Date('2026-11-25T08:00:00Z') }, [cost], now);
    expect(paused[0]?.toISOString()).toBe('2026-11-25T08:00:00.000Z');
  });
});

describe('scheduled channels', () => {
  it('publish at the next schedule time in Vietnam at least an hour ahead', () => {
    // 10:00 UTC = 17:00 in Vietnam: 19:00 today is two hours away.
    expect(nextScheduledTime('19:00', new Date('2026-11-24T10:00:00Z')).toISOString()).toBe('2026-11-24T12:00:00.000Z');
    // 18:30 in Vietnam: 19:00 is too close for upload and processing, so tomorrow.
    expect(nextScheduledTime('19:00', new Date('2026-11-24T11:30:00Z')).toISOString()).toBe('2026-11-25T12:00:00.000Z');
    // 23:00 in Vietnam (16:00 UTC) for a 06:30 slot: the next morning.
    expect(nextScheduledTime('06:30', new Date('2026-11-24T16:00:00Z')).toISOString()).toBe('2026-11-24T23:30:00.000Z');
  });
});
