import type { presentQuestion } from '../../questions/question.service.js';
import { LEVEL_NAMES, TYPE_NAMES } from '../../materials/pages/question-bank-summary.js';
import { count } from '../../web/components/format.js';
import { Pagination } from '../../web/components/pagination.js';

type ShownQuestion = ReturnType<typeof presentQuestion>;

const points = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 3 });

/**
 * A question's stem and options are the HTML the importer sanitised (src/questions/html.ts: no
 * script, no handler, formulas kept), so they are shown as such; everything else is text.
 */
function Html({ html, tag = 'div' }: { html: string; tag?: 'div' | 'span' }) {
  const Tag = tag;
  return <Tag class="question-html" dangerouslySetInnerHTML={{ __html: html }} />;
}

function Answer({ option }: { option: ShownQuestion['options'][number] }) {
  const right = option.fraction > 0;
  return (
    <li data-correct={right ? 'true' : undefined}>
      <strong>{right ? `Đúng${option.fraction < 1 ? ` (${Math.round(option.fraction * 100)}%)` : ''}: ` : 'Sai: '}</strong>
      <Html html={option.text} tag="span" />
      {option.match ? <> → {option.match}</> : null}
      {option.tolerance ? <> (sai số ±{option.tolerance})</> : null}
      {option.feedback ? <p class="hint">Phản hồi: <Html html={option.feedback} tag="span" /></p> : null}
    </li>
  );
}

/** A question bank's questions as the reviewer judges them: stem, answers with the right ones marked, level, points. */
export function QuestionList({ questions, total, page, pageSize, href }: { questions: ShownQuestion[]; total: number; page: number; pageSize: number; href: (page: number) => string }) {
  return (
    <section aria-labelledby="cau-hoi">
      <h2 id="cau-hoi">Câu hỏi ({count(total)})</h2>
      {questions.length === 0 ? <p class="meta">Ngân hàng chưa có câu hỏi nào.</p> : (
        <ol class="question-list" start={(page - 1) * pageSize + 1}>
          {questions.map((q) => (
            <li data-question={q.id}>
              <p class="meta">
                {TYPE_NAMES[q.type] ?? q.type} · Mức độ: {LEVEL_NAMES[q.cognitiveLevel ?? 'khac'] ?? q.cognitiveLevel} · {points.format(q.points)} điểm
                {q.topic ? ` · Chủ đề: ${q.topic}` : ''}{q.name ? ` · ${q.name}` : ''}
              </p>
              <Html html={q.stem} />
              {q.options.length ? <ul class="answers">{q.options.map((option) => <Answer option={option} />)}</ul> : null}
              {q.parts?.map((part, index) => (
                <div>
                  <p>Chỗ trống {index + 1}:</p>
                  <ul class="answers">{part.options.map((option) => <Answer option={option} />)}</ul>
                </div>
              ))}
              {q.generalFeedback ? <p class="hint">Lời giải: <Html html={q.generalFeedback} tag="span" /></p> : null}
            </li>
          ))}
        </ol>
      )}
      <Pagination page={page} totalPages={Math.ceil(total / pageSize)} href={href} />
    </section>
  );
}
