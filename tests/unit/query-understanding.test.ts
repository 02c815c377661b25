import { describe, expect, it } from 'vitest';
import { understandQuery } from '../../src/search/query-understanding.js';
import { SearchVocabulary } from '../../src/search/vocabulary.js';
import { TAXONOMY_SEED } from '../../src/taxonomy/taxonomy.service.js';

const vocabulary = new SearchVocabulary(TAXONOMY_SEED);
/** Codes in a stable order: which alias was listed first does not matter. */
const read = (q: string) => {
  const understood = understandQuery(q, vocabulary);
  for (const codes of Object.values(understood.entities)) (codes as Array<string | number>).sort();
  return understood;
};

describe('query understanding', () => {
  it('reads subjects by name and abbreviation, and grades in every way teachers write them', () => {
    expect(read('KHTN 7')).toMatchObject({ words: [], entities: { subject: ['khoa-hoc-tu-nhien'], grade: [7] } });
    expect(read('khoa hoc tu nhien lop 7').entities).toEqual({ subject: ['khoa-hoc-tu-nhien'], grade: [7] });
    for (const q of ['Toán lớp 6', 'toan lop6', 'Toán L6', 'toán 6', 'khối 6 toán']) expect(read(q).entities, q).toEqual({ subject: ['toan'], grade: [6] });
    expect(read('GDKT&PL').entities.subject).toEqual(['giao-duc-kinh-te-va-phap-luat']);
    expect(read('GDQP-AN').entities.subject).toEqual(['giao-duc-quoc-phong-an-ninh']);
    expect(read('HĐTN').entities.subject).toEqual(['hoat-dong-trai-nghiem', 'hoat-dong-trai-nghiem-huong-nghiep']);
  });

  it('reads levels and types, the longest phrase first', () => {
    expect(read('toán THCS').entities).toEqual({ subject: ['toan'], level: ['thcs'] });
    expect(read('lịch sử cấp 2').entities).toEqual({ subject: ['lich-su', 'lich-su-va-dia-li'], level: ['thcs'] });
    expect(read('mầm non').entities).toEqual({ level: ['mam-non'] });
    expect(read('đề kiểm tra phương trình bậc hai')).toMatchObject({ words: ['phuong', 'trinh', 'bac', 'hai'], entities: { type: ['question-bank'] } });
    // "cấp 2" is a level, so its 2 is no grade.
    expect(read('cấp 2').entities.grade).toBeUndefined();
  });

  it('keeps a weak word (a syllable that is only an alias) as text unless it stands beside a term or alone', () => {
    expect(read('Tin 10').entities).toEqual({ subject: ['tin-hoc'], grade: [10] });
    expect(read('Sử 12').entities).toEqual({ subject: ['lich-su', 'lich-su-va-dia-li'], grade: [12] });
    expect(read('anh hùng dân tộc')).toMatchObject({ words: ['anh', 'hung', 'dan', 'toc'], entities: {} });
    expect(read('đấu tranh giai cấp').words).toEqual(['dau', 'tranh', 'giai', 'cap']);
    // A bare number is a grade only beside a subject.
    expect(read('phương trình bậc 2')).toMatchObject({ words: ['phuong', 'trinh', 'bac', '2'], entities: {} });
  });

  it('drops stop words told by their tone marks, and nothing is left of punctuation or stop words alone', () => {
    expect(read('bài giảng về Lão Hạc').words).toEqual(['lao', 'hac']);
    expect(read('đề thi thử').entities.type).toEqual(['question-bank']);
    expect(read('thì mà nhưng')).toMatchObject({ words: [], recognised: [] });
    expect(read('?!… -- //')).toMatchObject({ words: [], phrase: [], recognised: [] });
    expect(read('📐 tam giác 😀').words).toEqual(['tam', 'giac']);
  });
});
