import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAiken } from '../../src/questions/formats/aiken.js';

const FIXTURES = path.resolve('tests/fixtures/aiken');
const corpus = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

describe('Aiken', () => {
  it('imports Moodle\'s own sample: two multiple-choice questions, markup escaped', () => {
    const { questions, errors } = parseAiken(corpus('questions.aiken.txt'));
    expect(errors).toEqual([]);
    expect(questions).toHaveLength(2);
    expect(questions[0]).toMatchObject({ type: 'multiple_choice', stem: 'The Moodle project was started by:', source: { format: 'aiken', line: 1 } });
    expect(questions[0]!.options.map((o) => [o.id, o.fraction])).toEqual([['A', 0], ['B', 1], ['C', 0], ['D', 0]]);
    expect(questions[1]!.stem).toContain('&lt;html class=&quot;cool&quot;&gt; &amp; images');
  });

  it('reports each broken item of Moodle\'s error sample with its line, and keeps the good ones', () => {
    const { questions, errors } = parseAiken(corpus('aiken_errors.txt'));
    expect(questions.map((q) => q.stem)).toEqual(['A good question', 'A second good question']);
    expect(questions[1]!.options.map((o) => [o.text, o.fraction])).toEqual([['Incorrect (No space)', 0], ['Correct (No space)', 1]]);
    expect(errors.map((e) => [e.code, e.line])).toEqual([
      ['AIKEN_TOO_FEW_OPTIONS', 1],
      ['AIKEN_OPTION_WITHOUT_QUESTION', 5],
      ['AIKEN_NO_ANSWER', 14],
    ]);
  });

  it('reads Vietnamese questions', () => {
    const { questions } = parseAiken('Thủ đô của Việt Nam là:\nA. Hà Nội\nB. Huế\nANSWER: A\n');
    expect(questions[0]).toMatchObject({ stem: 'Thủ đô của Việt Nam là:', options: [{ id: 'A', text: 'Hà Nội', fraction: 1 }, { id: 'B', text: 'Huế', fraction: 0 }] });
  });
});
