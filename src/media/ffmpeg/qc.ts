/**
 * The TV-lesson technical measurements, in one decoding pass: interlace detection, black,
 * frozen and silent segments, integrated loudness (EBU R128) and true peak. Pure: the argument
 * list and the parser of ffmpeg's log; runner.ts runs it.
 */
export interface Segment {
  start: number;
  end: number;
  duration: number;
}

export interface QcMeasurements {
  interlace: { tff: number; bff: number; progressive: number } | null;
  black: Segment[];
  frozen: Segment[];
  silence: Segment[];
  loudness: { integratedLufs: number; truePeakDbtp: number } | null;
}

export function qcArgs(input: string, hasAudio: boolean): string[] {
  const video = '[0:v:0]idet,blackdetect=d=0.5:pix_th=0.10,freezedetect=n=-60dB:d=2[v]';
  const audio = '[0:a:0]ebur128=peak=true:framelog=verbose,silencedetect=n=-50dB:d=1[a]';
  return ['-hide_banner', '-nostdin', '-i', input, '-filter_complex', hasAudio ? `${video};${audio}` : video,
    '-map', '[v]', ...(hasAudio ? ['-map', '[a]'] : []), '-f', 'null', '-progress', 'pipe:1', '-nostats', '-'];
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Collects the measurements from ffmpeg's stderr lines (the last summary wins: a filter graph may be set up twice). */
export function parseQcLog(lines: Iterable<string>, durationSeconds: number | null): QcMeasurements {
  const result: QcMeasurements = { interlace: null, black: [], frozen: [], silence: [], loudness: null };
  let freezeStart: number | null = null;
  let silenceStart: number | null = null;
  let integrated: number | null = null;
  let peak: number | null = null;
  let section = '';
  for (const line of lines) {
    let m: RegExpExecArray | null;
    if ((m = /Multi frame detection: TFF:\s*(\d+)\s+BFF:\s*(\d+)\s+Progressive:\s*(\d+)/.exec(line))) {
      result.interlace = { tff: Number(m[1]), bff: Number(m[2]), progressive: Number(m[3]) };
    } else if ((m = /black_start:([\d.]+) black_end:([\d.]+) black_duration:([\d.]+)/.exec(line))) {
      result.black.push({ start: round(Number(m[1])), end: round(Number(m[2])), duration: round(Number(m[3])) });
    } else if ((m = /freezedetect\.freeze_start: ([\d.]+)/.exec(line))) {
      freezeStart = Number(m[1]);
    } else if ((m = /freezedetect\.freeze_end: ([\d.]+)/.exec(line)) && freezeStart !== null) {
      result.frozen.push({ start: round(freezeStart), end: round(Number(m[1])), duration: round(Number(m[1]) - freezeStart) });
      freezeStart = null;
    } else if ((m = /silence_start: (-?[\d.]+)/.exec(line))) {
      silenceStart = Math.max(0, Number(m[1]));
    } else if ((m = /silence_end: ([\d.]+)/.exec(line)) && silenceStart !== null) {
      result.silence.push({ start: round(silenceStart), end: round(Number(m[1])), duration: round(Number(m[1]) - silenceStart) });
      silenceStart = null;
    } else if (/Integrated loudness:/.test(line)) section = 'integrated';
    else if (/True peak:/.test(line)) section = 'peak';
    else if (section === 'integrated' && (m = /I:\s+(-?[\d.]+|-inf) LUFS/.exec(line))) integrated = m[1] === '-inf' ? -70 : Number(m[1]);
    else if (section === 'peak' && (m = /Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(line))) peak = m[1] === '-inf' ? -144 : Number(m[1]);
  }
  // A freeze or silence still running at the end is closed by the end of the media.
  const end = durationSeconds ?? 0;
  if (freezeStart !== null && end > freezeStart) result.frozen.push({ start: round(freezeStart), end: round(end), duration: round(end - freezeStart) });
  if (silenceStart !== null && end > silenceStart) result.silence.push({ start: round(silenceStart), end: round(end), duration: round(end - silenceStart) });
  if (integrated !== null && peak !== null) result.loudness = { integratedLufs: integrated, truePeakDbtp: peak };
  return result;
}
