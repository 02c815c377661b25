import { describe, expect, it } from 'vitest';
import { parseQcLog } from '../../src/media/ffmpeg/qc.js';
import type { ProbeResult } from '../../src/media/ffmpeg/probe.js';
import { DEFAULT_QC_PROFILE, evaluateQc } from '../../src/media/qc-profile.js';

const LOG = `
[Parsed_idet_0 @ 0x1] Multi frame detection: TFF:     0 BFF:     0 Progressive:     0 Undetermined:     0
  Integrated loudness:
    I:         -70.0 LUFS
  True peak:
    Peak:       -inf dBFS
[blackdetect @ 0x2] black_start:120.5 black_end:126 black_duration:5.5
[blackdetect @ 0x2] black_start:0 black_end:2 black_duration:2
[freezedetect @ 0x3] lavfi.freezedetect.freeze_start: 300
[freezedetect @ 0x3] lavfi.freezedetect.freeze_duration: 40
[freezedetect @ 0x3] lavfi.freezedetect.freeze_end: 340
[silencedetect @ 0x4] silence_start: 600
[silencedetect @ 0x4] silence_end: 604.5 | silence_duration: 4.5
[silencedetect @ 0x4] silence_start: 1196
[Parsed_idet_0 @ 0x5] Multi frame detection: TFF:    3 BFF:     2 Progressive:   30000 Undetermined:     0
  Integrated loudness:
    I:         -23.4 LUFS
  True peak:
    Peak:       -0.5 dBFS
`.split('\n');

const probe: ProbeResult = {
  formatName: 'mov', durationSeconds: 1200, bitrate: 5_000_000,
  video: { codec: 'h264', width: 1920, height: 1080, fps: 25, pixelFormat: 'yuv420p', displayAspectRatio: '16:9', fieldOrder: 'progressive', rotation: 0 },
  audio: { codec: 'aac', channels: 2, sampleRate: 48000, bitrate: 192000 },
};

describe('QC measurements and the default profile', () => {
  it('parses the last summary and every segment, closing one still open at the end', () => {
    const m = parseQcLog(LOG, 1200);
    expect(m.interlace).toEqual({ tff: 3, bff: 2, progressive: 30000 });
    expect(m.loudness).toEqual({ integratedLufs: -23.4, truePeakDbtp: -0.5 });
    expect(m.black).toEqual([{ start: 120.5, end: 126, duration: 5.5 }, { start: 0, end: 2, duration: 2 }]);
    expect(m.frozen).toEqual([{ start: 300, end: 340, duration: 40 }]);
    expect(m.silence).toEqual([{ start: 600, end: 604.5, duration: 4.5 }, { start: 1196, end: 1200, duration: 4 }]);
  });

  it('judges each check: black and silence in the middle fail, at the edges pass; true peak fails; a freeze warns', () => {
    const report = evaluateQc(probe, parseQcLog(LOG, 1200), DEFAULT_QC_PROFILE);
    const byCheck = Object.fromEntries(report.checks.map((c) => [c.check, c]));
    expect(byCheck.black!.status).toBe('fail');
    expect(byCheck.black!.findings).toEqual([{ start: 120.5, end: 126, duration: 5.5 }]);
    expect(byCheck.silence!.findings).toEqual([{ start: 600, end: 604.5, duration: 4.5 }]);
    expect(byCheck.truePeak!.status).toBe('fail');
    expect(byCheck.loudness!.status).toBe('pass');
    expect(byCheck.frozen!.status).toBe('warn');
    expect(byCheck.duration!.status).toBe('pass');
    expect(byCheck.scan!.status).toBe('pass');
    expect(report.status).toBe('fail');
  });

  it('flags 29.97 fps, a short lesson, missing audio and a declared interlaced field order', () => {
    const report = evaluateQc({ ...probe, durationSeconds: 300, audio: null, video: { ...probe.video!, fps: 29.97, fieldOrder: 'tt' } },
      { interlace: null, black: [], frozen: [], silence: [], loudness: null }, DEFAULT_QC_PROFILE);
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.check);
    expect(failed).toEqual(['frameRate', 'scan', 'duration', 'audio', 'loudness', 'truePeak']);
  });
});
