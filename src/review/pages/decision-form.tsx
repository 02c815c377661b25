import { REVIEW_REASONS } from '../reasons.js';
import type { Decision } from '../review.service.js';
import { Button, ChoiceGroup, CsrfField, TextArea } from '../../web/components/form.js';

export interface DecisionValues { decision?: string; reasons: string[]; comment: string; internalNote: string }
export interface DecisionErrors { decision?: string; reasons?: string; comment?: string }

const DECISIONS: Array<{ value: Decision; label: string; hint: string }> = [
  { value: 'approve', label: 'Đồng ý', hint: 'Chuyển sang bước thẩm định tiếp theo, hoặc xuất bản nếu đây là bước cuối.' },
  { value: 'request_changes', label: 'Yêu cầu chỉnh sửa', hint: 'Trả lại người đóng góp để sửa rồi gửi lại.' },
  { value: 'reject', label: 'Không đồng ý', hint: 'Kết thúc thẩm định phiên bản này.' },
];
const DECISION_LABELS = Object.fromEntries(DECISIONS.map((d) => [d.value, d.label.toLowerCase()]));

/**
 * The decision, posted with the claim the page was rendered for: a page left open while the task
 * changed hands gets a clear refusal instead of overwriting someone else's review.
 */
export function DecisionForm({ action, csrfToken, claimedAt, values, errors }: { action: string; csrfToken: string; claimedAt: string; values: DecisionValues; errors: DecisionErrors }) {
  return (
    <section aria-labelledby="quyet-dinh">
      <h2 id="quyet-dinh">Quyết định thẩm định</h2>
      <form method="post" action={action} novalidate>
        <CsrfField token={csrfToken} />
        <input type="hidden" name="claimedAt" value={claimedAt} />
        <ChoiceGroup name="decision" legend="Quyết định" type="radio" values={values.decision ? [values.decision] : []} error={errors.decision}
          options={DECISIONS.map((d) => ({ value: d.value, label: d.label, hint: d.hint }))} />
        <ChoiceGroup name="reasons" legend="Lý do (bắt buộc khi yêu cầu chỉnh sửa hoặc không đồng ý)" type="checkbox" values={values.reasons} error={errors.reasons}
          options={REVIEW_REASONS.map((r) => ({ value: r.code, label: r.label, hint: `Dùng khi ${r.decisions.map((d) => DECISION_LABELS[d]).join(' hoặc ')}.` }))} />
        <TextArea name="comment" label="Ý kiến gửi người đóng góp" hint="Bắt buộc khi yêu cầu chỉnh sửa hoặc không đồng ý. Người đóng góp đọc được ý kiến này."
          value={values.comment} error={errors.comment} rows={5} maxLength={10_000} />
        <TextArea name="internalNote" label="Ghi chú nội bộ cho các cấp thẩm định sau" hint="Không bắt buộc. Chỉ người thẩm định thấy; người đóng góp không đọc được."
          value={values.internalNote} rows={3} maxLength={10_000} />
        <Button>Ghi quyết định</Button>
      </form>
    </section>
  );
}
