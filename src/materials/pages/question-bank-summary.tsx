import type { QuestionService } from '../../questions/question.service.js';
import { count } from '../../web/components/format.js';

export const TYPE_NAMES: Record<string, string> = {
  multiple_choice: 'Trắc nghiệm nhiều lựa chọn', multiple_response: 'Chọn nhiều đáp án', true_false: 'Đúng/Sai',
  true_false_group: 'Đúng/Sai nhiều ý (Phần II)', short_answer: 'Trả lời ngắn', numerical: 'Trả lời bằng số',
  matching: 'Ghép đôi', essay: 'Tự luận', cloze: 'Điền khuyết',
};
export const LEVEL_NAMES: Record<string, string> = { 'nhan-biet': 'Nhận biết', 'thong-hieu': 'Thông hiểu', 'van-dung': 'Vận dụng', 'van-dung-cao': 'Vận dụng cao', khac: 'Chưa phân mức' };

type Summary = Awaited<ReturnType<QuestionService['summary']>>;

function CountTable({ caption, counts, names }: { caption: string; counts: Record<string, number>; names?: Record<string, string> }) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  if (rows.length === 0) return null;
  return (
    <div class="table-scroll">
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <thead><tr><th scope="col">{caption}</th><th scope="col">Số câu</th></tr></thead>
        <tbody>{rows.map(([key, n]) => <tr><td>{names?.[key] ?? (key === 'khac' ? 'Khác' : key)}</td><td>{count(n)}</td></tr>)}</tbody>
      </table>
    </div>
  );
}

/** What the public may know of a question bank: how many questions of which kind; never a question or an answer. */
export function QuestionBankSummary({ summary }: { summary: Summary }) {
  return (
    <section aria-labelledby="ngan-hang">
      <h2 id="ngan-hang">Ngân hàng câu hỏi: {count(summary.total)} câu</h2>
      <p class="hint">Câu hỏi và đáp án chỉ dành cho giáo viên đã đăng nhập.</p>
      <h3>Theo dạng câu hỏi</h3>
      <CountTable caption="Dạng câu hỏi" counts={summary.byType} names={TYPE_NAMES} />
      <h3>Theo mức độ nhận thức</h3>
      <CountTable caption="Mức độ" counts={summary.byCognitiveLevel} names={LEVEL_NAMES} />
      <h3>Theo chủ đề</h3>
      <CountTable caption="Chủ đề" counts={summary.byTopic} />
    </section>
  );
}
