/** What ffprobe tells about a media file, in the units the rest of the system uses. */
export interface ProbeResult {
  formatName: string;
  durationSeconds: number | null;
  bitrate: number | null;
  video: {
    codec: string; width: number; height: number; fps: number | null; pixelFormat: string | null;
    displayAspectRatio: string | null; fieldOrder: string | null; rotation: number;
  } | null;
  audio: { codec: string; channels: number; sampleRate: number; bitrate: number | null } | null;
}

export const probeArgs = (input: string) => ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', input];

function rate(value: string | undefined): number | null {
  if (!value) return null;
  const [num, den] = value.split('/').map(Number);
  if (!num || !den) return null;
  const fps = num / den;
  return fps > 0 && fps < 1000 ? Math.round(fps * 1000) / 1000 : null;
}

function number(value: unknown): number | null {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : null;
}

type Stream = Record<string, any>;

/** Parses `ffprobe -print_format json -show_format -show_streams` output (pure). */
export function parseProbe(json: string): ProbeResult {
  const data = JSON.parse(json) as { format?: Record<string, any>; streams?: Stream[] };
  const streams = data.streams ?? [];
  // Cover art in audio files is a video stream with attached_pic: not a video.
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const audio = streams.find((s) => s.codec_type === 'audio');
  const rotationTag = Number(video?.tags?.rotate ?? video?.side_data_list?.find((d: Stream) => d.rotation !== undefined)?.rotation ?? 0);
  const rotation = ((Math.round(rotationTag / 90) * 90) % 360 + 360) % 360;
  return {
    formatName: String(data.format?.format_name ?? 'unknown'),
    durationSeconds: number(data.format?.duration) ?? number(video?.duration) ?? number(audio?.duration),
    bitrate: number(data.format?.bit_rate),
    video: video && number(video.width) && number(video.height) ? {
      codec: String(video.codec_name),
      // Phones record portrait video as landscape plus a rotation: report what is displayed.
      width: rotation % 180 === 0 ? video.width : video.height,
      height: rotation % 180 === 0 ? video.height : video.width,
      fps: rate(video.avg_frame_rate) ?? rate(video.r_frame_rate),
      pixelFormat: video.pix_fmt ?? null,
      displayAspectRatio: video.display_aspect_ratio && video.display_aspect_ratio !== '0:1' ? video.display_aspect_ratio : null,
      fieldOrder: video.field_order ?? null,
      rotation,
    } : null,
    audio: audio ? {
      codec: String(audio.codec_name), channels: Number(audio.channels ?? 0), sampleRate: Number(audio.sample_rate ?? 0), bitrate: number(audio.bit_rate),
    } : null,
  };
}
