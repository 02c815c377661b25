import type { ReviewService } from '../review.service.js';
import type { SnapshotChanges } from '../changes.js';
import { reasonLabel } from '../reasons.js';
import type { TaxonomyService } from '../../taxonomy/taxonomy.service.js';
import { gradeNames, termName } from '../../web/components/classification.js';
import { formatDate, formatTime, isoDate } from '../../web/components/format.js';

type Detail = Awaited<ReturnType<ReviewService['detail']>>;

export const DECISION_NAMES: Record<string, string> = { approve: 'Đồng ý', request_changes: 'Yêu cầu chỉnh sửa', reject: 'Không đồng ý', withdrawn: 'Rút lại' };

const FIELD_NAMES: Record<string, string> = {
  title: 'Tên học liệu', description: 'Mô tả', level: 'Cấp học', grades: 'Lớp', subject: 'Môn học', series: 'Bộ sách', topic: 'Chủ đề', license: 'Giấy phép', language: 'Ngôn ngữ',
};

const When = ({ at }: { at: Date | string }) => <time datetime={isoDate(at)}>{formatDate(at)} {formatTime(at)}</time>;

/** A metadata value as people read it: names from the taxonomy, not codes. */
function fieldText(taxonomy: TaxonomyService, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(trống)';
  if (field === 'grades') return gradeNames(taxonomy, value as number[]).join(', ');
  if (field === 'level' || field === 'subject' || field === 'series') return termName(taxonomy, field, String(value));
  if (field === 'license') return termName(taxonomy, 'license', String(value));
  return String(value);
}

/** Every round so far: what the teacher answered when sending it, and each stage's decision. */
export function ReviewRounds({ rounds }: { rounds: Detail['rounds'] }) {
  if (rounds.length === 0) return <p class="meta">Chưa có vòng thẩm định nào được ghi lại.</p>;
  return (
    <ol class="status-list rounds">
      {rounds.map((round) => (
        <li data-round={round.number}>
          <h3>Vòng {round.number}{round.current ? ' (vòng này)' : ''} — phiên bản {round.version}</h3>
          <p>Gửi ngày <When at={round.submittedAt} />, {round.submittedBy}</p>
          {round.note ? <blockquote class="state-note">Người đóng góp trả lời: {round.note}</blockquote> : null}
          <ul class="plain-list">
            {round.decisions.map((d) => (
              <li>
                <p>Bước {d.stage} — {d.org.name}: <strong>{d.decision ? DECISION_NAMES[d.decision] ?? d.decision : 'đang chờ'}</strong>
                  {d.decidedAt ? <> (<When at={d.decidedAt} />{d.decidedBy ? `, ${d.decidedBy}` : ''})</> : null}</p>
                {d.reasons.length ? <ul>{d.reasons.map((code) => <li>{reasonLabel(code)}</li>)}</ul> : null}
                {d.comment ? <blockquote class="state-note">Ý kiến gửi người đóng góp: {d.comment}</blockquote> : null}
                {d.internalNote ? <blockquote class="state-note internal-note">Ghi chú nội bộ: {d.internalNote}</blockquote> : null}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

/** What changed between two states: metadata fields, files, questions. */
export function ChangeList({ changes, taxonomy }: { changes: SnapshotChanges; taxonomy: TaxonomyService }) {
  if (changes.same) return <p>Không có thay đổi.</p>;
  const names = (label: string, items: string[]) => (items.length ? <li>{label}: {items.join('; ')}</li> : null);
  return (
    <ul class="changes">
      {changes.fields.map((c) => (
        <li data-field={c.field}>{FIELD_NAMES[c.field] ?? c.field}: <del>{fieldText(taxonomy, c.field, c.before)}</del> → <ins>{fieldText(taxonomy, c.field, c.after)}</ins></li>
      ))}
      {names('Tệp thêm', changes.files.added)}
      {names('Tệp xoá', changes.files.removed)}
      {names('Tệp thay bằng bản khác', changes.files.replaced)}
      {names(`Câu hỏi thêm (${changes.questions.added.length})`, changes.questions.added)}
      {names(`Câu hỏi sửa (${changes.questions.changed.length})`, changes.questions.changed)}
      {names(`Câu hỏi bỏ (${changes.questions.removed.length})`, changes.questions.removed)}
    </ul>
  );
}
