import type { Rendition } from '../../media/media.repository.js';
import { mediaKindOf } from '../../media/media.service.js';
import { fileSize } from '../../web/components/format.js';

/** A file of the published version with what the media pipeline made of it. */
export interface ShownFile {
  id: string;
  name: string;
  size: number;
  mime: string;
  renditions: Rendition[];
  /** For a file that is not public: the signed link's query (src/files/signed-url.ts) every URL carries, as a player sends no token. */
  sign?: string;
}

const fileBase = (file: ShownFile) => `/api/v1/files/${file.id}`;
const signed = (file: ShownFile, url: string) => (file.sign ? `${url}${url.includes('?') ? '&' : '?'}${file.sign}` : url);
export const downloadUrl = (file: ShownFile) => signed(file, `${fileBase(file)}/content`);
/** A file's poster at one of its sizes (GET /api/v1/files/:id/poster). */
export const posterPath = (fileId: string, size: 1280 | 640 | 320) => `/api/v1/files/${fileId}/poster?size=${size}`;
export const posterUrl = (file: ShownFile, size: 1280 | 640 | 320) => signed(file, posterPath(file.id, size));
// The download MP4 (format mp4), not the mezzanine made for YouTube (kind mp4 too, format youtube).
export const mp4Rendition = (file: ShownFile) => file.renditions.find((r) => r.kind === 'mp4' && r.format === 'mp4');
export const renditionUrl = (file: ShownFile, rendition: Rendition) => signed(file, `${fileBase(file)}/renditions/${rendition.id}`);
const hasPoster = (file: ShownFile) => file.renditions.some((r) => r.kind === 'poster');

/** WebVTT files beside a video are its captions; SRT (plain text) is kept for YouTube, browsers cannot read it. */
export const isCaptionFile = (file: ShownFile) => file.mime === 'text/vtt' || /\.vtt$/i.test(file.name);

/**
 * A processed video: HLS first (Safari and native players), the MP4 for the rest; the player
 * island (src/web/islands/player.ts) moves other browsers to HLS with hls.js when play is pressed.
 * Nothing loads before that but the poster (preload="none": slow mobile links).
 */
export function VideoPlayer({ file, title, captions }: { file: ShownFile; title: string; captions: ShownFile[] }) {
  const hls = file.renditions.find((r) => r.kind === 'hls');
  const mp4 = mp4Rendition(file);
  if (!hls && !mp4) return null;
  const master = signed(file, `${fileBase(file)}/hls/master.m3u8`);
  return (
    <div class="player">
      <video
        controls preload="none" playsinline poster={hasPoster(file) ? posterUrl(file, 1280) : undefined} data-hls={hls ? master : undefined}
        width={hls?.width ?? mp4?.width ?? undefined} height={hls?.height ?? mp4?.height ?? undefined} aria-label={`Video: ${title}`}
      >
        {hls ? <source src={master} type="application/vnd.apple.mpegurl" /> : null}
        {mp4 ? <source src={renditionUrl(file, mp4)} type="video/mp4" /> : null}
        {captions.map((caption, index) => (
          <track kind="captions" src={downloadUrl(caption)} srclang="vi" label={captions.length > 1 ? `Phụ đề ${index + 1}` : 'Phụ đề tiếng Việt'} default={index === 0} />
        ))}
        <p>Trình duyệt này không phát được video. {mp4 ? <a href={renditionUrl(file, mp4)}>Tải video MP4</a> : null}</p>
      </video>
      {hls ? (
        <p data-low-data hidden>
          <label><input type="checkbox" /> Tiết kiệm dữ liệu (phát ở chất lượng thấp nhất)</label>
        </p>
      ) : null}
      {mp4 ? <p><a href={renditionUrl(file, mp4)}>{`Tải video MP4 (${[mp4.height ? `${mp4.height}p` : null, fileSize(mp4.size)].filter(Boolean).join(', ')})`}</a></p> : null}
    </div>
  );
}

export function AudioPlayer({ file, title }: { file: ShownFile; title: string }) {
  const audio = file.renditions.find((r) => r.kind === 'audio');
  return (
    <div class="player">
      <audio controls preload="none" aria-label={`Âm thanh: ${title}`}>
        {audio ? <source src={renditionUrl(file, audio)} type="audio/mp4" /> : null}
        <source src={downloadUrl(file)} type={file.mime} />
      </audio>
    </div>
  );
}

export function ImageView({ file, title }: { file: ShownFile; title: string }) {
  if (!hasPoster(file)) return null;
  return (
    <figure>
      <img src={posterUrl(file, 1280)} srcset={`${posterUrl(file, 640)} 640w, ${posterUrl(file, 1280)} 1280w`} sizes="(max-width: 56rem) 100vw, 56rem" alt={title} />
    </figure>
  );
}

/** What the page shows of a file in the page itself, before the list of downloads. */
export function FileView({ file, title, captions }: { file: ShownFile; title: string; captions: ShownFile[] }) {
  const kind = mediaKindOf(file.mime);
  if (kind === 'video') return <VideoPlayer file={file} title={title} captions={captions} />;
  if (kind === 'audio') return <AudioPlayer file={file} title={title} />;
  if (kind === 'image') return <ImageView file={file} title={title} />;
  return null;
}
