import type { DocumentView } from '../../documents/document-view.js';
import { DocumentViewer } from '../../documents/pages/document-viewer.js';
import type { QcView } from '../../media/qc.service.js';
import type { PackageView } from '../../packages/package.service.js';
import { PackagePlayer } from '../../packages/pages/package-player.js';
import { mediaKindOf } from '../../media/media.service.js';
import { AudioPlayer, downloadUrl, ImageView, VideoPlayer, type ShownFile } from '../../materials/pages/material-media.js';
import { fileSize } from '../../web/components/format.js';

/** What the reviewer is shown of one file: which viewer, by the file's kind. */
export type PreviewKind = 'video' | 'audio' | 'image' | 'document' | 'package' | 'other';

// Office, PDF, e-books and plain text are read in the document viewer; zips are packages (SCORM, HTML5).
const DOCUMENT_TYPES = /^(application\/(pdf|epub\+zip|rtf|x-cfb|vnd\.openxmlformats-officedocument\.|vnd\.oasis\.opendocument\.)|text\/plain)/;

export function previewKind(file: { mime: string }): PreviewKind {
  const media = mediaKindOf(file.mime);
  if (media) return media;
  if (file.mime === 'application/zip') return 'package';
  if (DOCUMENT_TYPES.test(file.mime)) return 'document';
  return 'other';
}

const tenths = (n: number) => String(Math.round(n * 10) / 10);
const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

/**
 * The technical check's findings (black, silence, frozen picture) as marks on the video's timeline:
 * an SVG (attributes, not inline styles, under the page's CSP) with each span also listed in words.
 */
function QcTimeline({ view }: { view: QcView | undefined }) {
  if (!view || view.state !== 'ready') {
    return <p class="meta">{view?.state === 'failed' ? `Kiểm tra kỹ thuật không thực hiện được: ${view.error}` : 'Kiểm tra kỹ thuật: đang thực hiện.'}</p>;
  }
  const duration = Number(view.report.checks.find((c) => c.check === 'duration')?.measured) || 0;
  const findings = view.report.checks.flatMap((check) => (check.findings ?? []).map((f) => ({ ...f, check })));
  const verdict = view.report.status === 'pass' ? 'Đạt' : view.report.status === 'warn' ? 'Đạt, có cảnh báo' : 'Không đạt';
  return (
    <div class="qc-timeline" data-qc={view.report.status}>
      <p><strong>Kiểm tra kỹ thuật: {verdict}</strong></p>
      {duration > 0 && findings.length ? (
        <svg viewBox="0 0 1000 24" preserveAspectRatio="none" role="img" aria-label={`Dòng thời gian ${clock(duration)} với ${findings.length} đoạn lỗi kỹ thuật`}>
          <rect x="0" y="8" width="1000" height="8" class="qc-track" />
          {findings.map((f) => (
            <rect x={tenths(Math.min(999, (f.start / duration) * 1000))} y="2" width={tenths(Math.max(3, (f.duration / duration) * 1000))} height="20" class={`qc-mark qc-${f.check.status}`} />
          ))}
        </svg>
      ) : null}
      <ul>
        {view.report.checks.filter((c) => c.status !== 'pass').map((check) => (
          <li>
            {check.status === 'warn' ? 'Cảnh báo' : 'Không đạt'}: {check.message}
            {check.findings?.length ? <ul>{check.findings.map((f) => <li>Từ {clock(f.start)} đến {clock(f.end)} ({Math.round(f.duration)} giây)</li>)}</ul> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * THE place where a file's preview is chosen by its kind: video → the public page's player (with the
 * TV-lesson check on its timeline), audio and pictures → theirs, document → the document viewer,
 * package → the package player (the page adds the package content origin to its frame sources).
 * Every file is offered for download as well.
 */
export function FilePreview({ file, title, captions, qc, document, pack }: {
  file: ShownFile; title: string; captions: ShownFile[]; qc?: QcView; document?: DocumentView | null; pack?: PackageView | null;
}) {
  const kind = previewKind(file);
  const download = <p><a href={downloadUrl(file)}>Tải tệp {file.name}</a> <span class="meta">({fileSize(file.size)})</span></p>;
  switch (kind) {
    case 'video':
      return <>{file.renditions.length ? <VideoPlayer file={file} title={title} captions={captions} /> : <p class="meta">Video đang được xử lý.</p>}{qc ? <QcTimeline view={qc} /> : null}{download}</>;
    case 'audio':
      return <><AudioPlayer file={file} title={title} />{download}</>;
    case 'image':
      return <><ImageView file={file} title={title} />{download}</>;
    case 'document':
      return <>{document ? <DocumentViewer document={document} title={file.name} /> : null}{download}</>;
    case 'package':
      return <>{pack ? <PackagePlayer view={pack} title={file.name} /> : null}{download}</>;
    default:
      return download;
  }
}
