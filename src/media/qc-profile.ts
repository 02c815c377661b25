import type { ProbeResult } from './ffmpeg/probe.js';
import type { QcMeasurements, Segment } from './ffmpeg/qc.js';

/** What a TV lesson must meet before anyone spends review time on it. Configurable (QC_PROFILE). */
export interface QcProfile {
  resolutions: string[];
  aspectRatios: string[];
  frameRates: number[];
  progressiveOnly: boolean;
  durationSeconds: { min: number; max: number };
  loudness: { targetLufs: number; toleranceLu: number };
  maxTruePeakDbtp: number;
  maxBlackSeconds: number;
  maxSilenceSeconds: number;
  /** Black and silence at the very start and end (titles, fades) are allowed. */
  edgeSeconds: number;
}

export const DEFAULT_QC_PROFILE: QcProfile = {
  resolutions: ['1920x1080', '1280x720'],
  aspectRatios: ['16:9'],
  frameRates: [25, 50],
  progressiveOnly: true,
  durationSeconds: { min: 10 * 60, max: 45 * 60 },
  loudness: { targetLufs: -23, toleranceLu: 1 },
  maxTruePeakDbtp: -1,
  maxBlackSeconds: 3,
  maxSilenceSeconds: 3,
  edgeSeconds: 5,
};

export type QcStatus = 'pass' | 'warn' | 'fail';

export interface QcCheck {
  check: string;
  status: QcStatus;
  measured: unknown;
  expected: unknown;
  message: string;
  findings?: Segment[];
}

export interface QcReport {
  status: QcStatus;
  checks: QcCheck[];
}

function ratio(text: string): number {
  const [w, h] = text.split(':').map(Number);
  return w && h ? w / h : 0;
}

/** Segments that are too long and not confined to the first or last `edge` seconds. */
function offending(segments: Segment[], max: number, edge: number, duration: number): Segment[] {
  return segments.filter((s) => s.duration > max && !(s.end <= edge) && !(s.start >= duration - edge));
}

const fmt = (s: Segment) => `${s.start.toFixed(1)}–${s.end.toFixed(1)} s`;

/** Pure: the measurements judged against a profile, each check with what was measured and why. */
export function evaluateQc(probe: ProbeResult, measured: QcMeasurements, profile: QcProfile): QcReport {
  const checks: QcCheck[] = [];
  const add = (check: string, ok: boolean | QcStatus, measuredValue: unknown, expected: unknown, message: string, findings?: Segment[]) => {
    const status: QcStatus = typeof ok === 'string' ? ok : ok ? 'pass' : 'fail';
    checks.push({ check, status, measured: measuredValue, expected, message, ...(findings?.length ? { findings } : {}) });
  };
  const video = probe.video;
  const duration = probe.durationSeconds ?? 0;
  const size = video ? `${video.width}x${video.height}` : null;
  add('resolution', !!size && profile.resolutions.includes(size), size, profile.resolutions, `Độ phân giải ${size ?? 'không có hình'}; yêu cầu ${profile.resolutions.join(' hoặc ')}.`);
  const dar = video ? video.displayAspectRatio ?? `${video.width}:${video.height}` : null;
  const darOk = !!dar && profile.aspectRatios.some((r) => Math.abs(ratio(r) - ratio(dar)) < 0.01);
  add('aspectRatio', darOk, dar, profile.aspectRatios, `Tỉ lệ khung hình ${dar ?? '—'}; yêu cầu ${profile.aspectRatios.join(', ')}.`);
  const fps = video?.fps ?? null;
  add('frameRate', fps !== null && profile.frameRates.some((r) => Math.abs(r - fps) < 0.01), fps, profile.frameRates, `Tốc độ khung hình ${fps ?? '—'} hình/giây; yêu cầu ${profile.frameRates.join(' hoặc ')}.`);
  const declared = ['tt', 'bb', 'tb', 'bt'].includes(video?.fieldOrder ?? '');
  // Fine detail in progressive video fools idet now and then, in both field orders alike; real
  // interlacing shows one field order in most frames and almost never the other.
  const fields = measured.interlace;
  const dominant = fields ? Math.max(fields.tff, fields.bff) : 0;
  const detected = !!fields && dominant > 0.5 * (fields.tff + fields.bff + fields.progressive) && Math.min(fields.tff, fields.bff) < 0.2 * dominant;
  const scan = declared || detected ? 'interlaced' : 'progressive';
  add('scan', !profile.progressiveOnly || scan === 'progressive', { scan, declaredFieldOrder: video?.fieldOrder ?? null, detected: measured.interlace }, profile.progressiveOnly ? 'progressive' : 'any',
    scan === 'progressive' ? 'Quét liên tục (progressive).' : 'Video quét xen kẽ (interlaced); yêu cầu quét liên tục.');
  add('duration', duration >= profile.durationSeconds.min && duration <= profile.durationSeconds.max, Math.round(duration * 10) / 10, profile.durationSeconds,
    `Thời lượng ${(duration / 60).toFixed(1)} phút; yêu cầu ${profile.durationSeconds.min / 60}–${profile.durationSeconds.max / 60} phút.`);
  const audio = probe.audio;
  add('audio', !!audio, audio ? { channels: audio.channels, sampleRate: audio.sampleRate } : null, 'có âm thanh', audio ? `Âm thanh ${audio.channels} kênh, ${audio.sampleRate} Hz.` : 'Không có âm thanh.');
  const loud = measured.loudness;
  const { targetLufs, toleranceLu } = profile.loudness;
  add('loudness', !!loud && Math.abs(loud.integratedLufs - targetLufs) <= toleranceLu, loud?.integratedLufs ?? null, `${targetLufs} ±${toleranceLu} LUFS`,
    `Độ ồn tích hợp ${loud ? loud.integratedLufs.toFixed(1) : '—'} LUFS; yêu cầu ${targetLufs} ±${toleranceLu} LUFS (EBU R128).`);
  add('truePeak', !!loud && loud.truePeakDbtp <= profile.maxTruePeakDbtp, loud?.truePeakDbtp ?? null, `≤ ${profile.maxTruePeakDbtp} dBTP`,
    `Đỉnh thực ${loud ? loud.truePeakDbtp.toFixed(1) : '—'} dBTP; yêu cầu ≤ ${profile.maxTruePeakDbtp} dBTP.`);
  const black = offending(measured.black, profile.maxBlackSeconds, profile.edgeSeconds, duration);
  add('black', black.length === 0, measured.black.length, `≤ ${profile.maxBlackSeconds} s`, black.length ? `Màn hình đen quá ${profile.maxBlackSeconds} s: ${black.map(fmt).join(', ')}.` : 'Không có đoạn màn hình đen dài.', black);
  const silence = offending(measured.silence, profile.maxSilenceSeconds, profile.edgeSeconds, duration);
  add('silence', silence.length === 0, measured.silence.length, `≤ ${profile.maxSilenceSeconds} s`, silence.length ? `Mất tiếng quá ${profile.maxSilenceSeconds} s: ${silence.map(fmt).join(', ')}.` : 'Không có đoạn mất tiếng dài.', silence);
  // Slides stand still for long: a frozen picture is worth a look, never a refusal.
  const frozen = offending(measured.frozen, 0, profile.edgeSeconds, duration);
  add('frozen', frozen.length ? 'warn' : 'pass', measured.frozen.length, 'cảnh báo', frozen.length ? `Hình đứng yên: ${frozen.map(fmt).join(', ')}.` : 'Không có đoạn hình đứng yên.', frozen);
  const status: QcStatus = checks.some((c) => c.status === 'fail') ? 'fail' : checks.some((c) => c.status === 'warn') ? 'warn' : 'pass';
  return { status, checks };
}
