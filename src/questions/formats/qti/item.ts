import { escapeHtml, stripDiacritics } from '../../../core/text.js';
import { isDefaultScoring, type ClozePart, type ImportIssue, type Question, type QuestionOption } from '../../model.js';
import { titleFromStem } from './plain-text.js';
import { analyseResponseProcessing, type NumericBranch, type ResponseScoring } from './response-processing.js';
import { attr, childElements, descendants, firstChild, mathPrefixesOf, textContent, writeHtml, type XmlElement } from './xml-tree.js';

/** A response declaration, version-neutral. */
interface ResponseDeclaration {
  cardinality: string;
  baseType: string;
  correct: string[];
  mapping?: { entries: Array<{ key: string; value: number; caseSensitive: boolean }>; upperBound?: number };
}

/** Rewrites an image reference of the item to `@@ASSET@@/<name>` (collecting its bytes), or leaves it. */
export type AssetResolver = (src: string) => string;

export interface ItemContext {
  item: number;
  /** Where the item came from, for messages ("items/q1.xml"). */
  file: string;
  resolveAsset: AssetResolver;
}

/** A question read from an item, or why it could not be; `warnings` name what was approximated. */
export type ItemReading =
  | { question: Question & { itemId?: string }; warnings: ImportIssue[] }
  | { error: ImportIssue; warnings: ImportIssue[] };

const GAP = '\u0000GAP\u0000';
const INLINE_INTERACTIONS = new Set(['textEntryInteraction', 'inlineChoiceInteraction']);
const TRUE_WORDS = new Set(['true', 'dung']);
const FALSE_WORDS = new Set(['false', 'sai']);

const toNumber = (text: string | undefined) => (text === undefined || text.trim() === '' ? undefined : Number(text.trim()));
const plain = (element: XmlElement) => textContent(element).replace(/\s+/g, ' ').trim();
const truthOf = (text: string): boolean | undefined => {
  const word = stripDiacritics(text).toLowerCase().replace(/[.\s]/g, '');
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
};
const round = (value: number) => Math.round(value * 1e6) / 1e6;

function readDeclarations(item: XmlElement): Map<string, ResponseDeclaration> {
  const declarations = new Map<string, ResponseDeclaration>();
  for (const declaration of childElements(item, 'responseDeclaration')) {
    const correct = childElements(firstChild(declaration, 'correctResponse') ?? declaration, 'value').map(plain);
    const mapping = firstChild(declaration, 'mapping');
    declarations.set(attr(declaration, 'identifier') ?? '', {
      cardinality: attr(declaration, 'cardinality') ?? 'single',
      baseType: attr(declaration, 'baseType') ?? 'identifier',
      correct: firstChild(declaration, 'correctResponse') ? correct : [],
      mapping: mapping && {
        upperBound: toNumber(attr(mapping, 'upperBound')),
        entries: childElements(mapping, 'mapEntry').map((entry) => ({
          key: (attr(entry, 'mapKey') ?? '').trim(),
          value: toNumber(attr(entry, 'mappedValue')) ?? 0,
          caseSensitive: attr(entry, 'caseSensitive') !== 'false',
        })),
      },
    });
  }
  return declarations;
}

/** Unwraps one bare `<div>` around the whole stem: the wrapper our exporter (and many tools) put there. */
function unwrapDiv(html: string): string {
  if (!html.startsWith('<div>') || !html.endsWith('</div>')) return html;
  let depth = 0;
  for (const match of html.matchAll(/<(\/?)div\b[^>]*>/g)) {
    depth += match[1] ? -1 : 1;
    if (depth === 0 && match.index! + match[0].length < html.length) return html;
  }
  return html.slice(5, -6).trim();
}

// An answer box alone in its own block is a question's answer field; inside a sentence it is a gap.
const LONE_GAP = new RegExp(`<(p|div)>\\s*${GAP}\\s*</\\1>`);
const numberGaps = (html: string) => {
  let n = 0;
  return html.replace(new RegExp(GAP, 'g'), () => `{#${++n}}`);
};

/**
 * Reads one assessmentItem (QTI 2.1 or 3.0, already parsed) into a question. Pure apart from
 * the asset resolver collecting image bytes.
 */
export function readItem(item: XmlElement, context: ItemContext): ItemReading {
  const itemId = attr(item, 'identifier');
  const warnings: ImportIssue[] = [];
  const where = `Câu ${context.item}${itemId ? ` (${itemId})` : ''} trong ${context.file}`;
  const issue = (code: string, message: string): ImportIssue => ({ item: context.item, ...(itemId ? { itemId } : {}), code, message: `${where}: ${message}` });
  const fail = (code: string, message: string): ItemReading => ({ error: issue(code, message), warnings });

  if (item.name !== 'assessmentItem') return fail('QTI_NOT_AN_ITEM', `phần tử gốc là <${item.tag}>, không phải assessmentItem.`);
  const body = firstChild(item, 'itemBody');
  if (!body) return fail('QTI_NO_ITEM_BODY', 'thiếu itemBody.');
  const declarations = readDeclarations(item);
  const scoring = analyseResponseProcessing(firstChild(item, 'responseProcessing'), new Set(declarations.keys()));
  if (!scoring.understood) warnings.push(issue('QTI_CUSTOM_SCORING', 'quy tắc chấm điểm (responseProcessing) riêng không được hiểu hết; điểm lấy theo đáp án đúng (correctResponse).'));
  const scoreMaximum = toNumber(childElements(item, 'outcomeDeclaration').filter((o) => attr(o, 'identifier') === 'SCORE').map((o) => attr(o, 'normalMaximum'))[0]);

  const interactions = descendants(body).filter((e) => e.name.endsWith('Interaction'));
  // MathML prefixes are usually declared on the item itself ("xmlns:m"), above the HTML we write.
  const mathPrefixes = mathPrefixesOf(body, mathPrefixesOf(item));
  const html = (nodes: XmlElement['children'], replace?: (e: XmlElement) => string | undefined) => writeHtml(nodes, {
    replace: (e) => replace?.(e) ?? (e.name === 'feedbackInline' || e.name === 'feedbackBlock' ? '' : undefined),
    attribute: (e, name, value) => ((e.tag === 'img' && name === 'src') || (e.tag === 'object' && name === 'data') ? context.resolveAsset(value) : value),
  }, mathPrefixes).trim();
  const stemWith = (replaceInteraction: (e: XmlElement) => string) =>
    unwrapDiv(html(body.children, (e) => (interactions.includes(e) ? replaceInteraction(e) : undefined)));
  const promptOf = (interaction: XmlElement) => html(firstChild(interaction, 'prompt')?.children ?? []);

  // Feedback: modalFeedback naming a choice is that choice's; any other is general feedback.
  // QTI 3 wraps modal feedback in qti-content-body.
  const modal = childElements(item, 'modalFeedback').map((f) => ({ id: attr(f, 'identifier') ?? '', html: html((firstChild(f, 'contentBody') ?? f).children) }));
  const feedbackBlocks = descendants(body, 'feedbackBlock').map((f) => html(f.children));
  const optionFeedback = (choice: XmlElement) =>
    [...childElements(choice, 'feedbackInline').map((f) => html(f.children)), ...modal.filter((f) => f.id === attr(choice, 'identifier')).map((f) => f.html)].join('') || undefined;
  const generalFeedbackFrom = (optionIds: string[]) =>
    [...modal.filter((f) => !optionIds.includes(f.id)).map((f) => f.html), ...feedbackBlocks].join('') || undefined;

  const base = (points: number) => ({ points: round(points), ...(attr(item, 'title') ? { name: attr(item, 'title') } : {}), itemId });
  const done = (question: Question & { itemId?: string }): ItemReading => {
    if (question.generalFeedback === undefined) delete question.generalFeedback;
    if (question.name === titleFromStem(question.stem) || question.name === itemId) delete question.name;
    return { question, warnings };
  };

  if (interactions.length === 0) return fail('QTI_NO_INTERACTION', 'câu hỏi không có tương tác (interaction) nào để trả lời.');
  const single = interactions.length === 1 ? interactions[0]! : undefined;

  if (single?.name === 'choiceInteraction') {
    const responseId = attr(single, 'responseIdentifier') ?? 'RESPONSE';
    const declaration = declarations.get(responseId);
    const choices = childElements(single, 'simpleChoice');
    const multiple = Number(attr(single, 'maxChoices') ?? '1') !== 1 || declaration?.cardinality === 'multiple';
    const values = choiceValues(declaration, scoring, responseId, choices.map((c) => attr(c, 'identifier') ?? ''), multiple, scoreMaximum);
    if (!values) return fail('QTI_NO_CORRECT_RESPONSE', 'không có đáp án đúng (correctResponse hoặc mapping).');
    const texts = choices.map((c) => html(c.children));
    const truths = choices.map((c) => truthOf(plain(c)));
    const isTrueFalse = !multiple && choices.length === 2 && truths.includes(true) && truths.includes(false);
    const options: QuestionOption[] = choices.map((choice, i) => ({
      id: isTrueFalse ? String(truths[i]) : attr(choice, 'identifier') ?? String(i + 1),
      text: texts[i]!,
      fraction: values.fractions[i]!,
      ...(optionFeedback(choice) ? { feedback: optionFeedback(choice)! } : {}),
    }));
    return done({
      type: isTrueFalse ? 'true_false' : multiple ? 'multiple_response' : 'multiple_choice',
      stem: stemWith(promptOf), options, ...base(values.points),
      ...(isTrueFalse ? {} : { shuffle: attr(single, 'shuffle') === 'true' }),
      generalFeedback: generalFeedbackFrom(choices.map((c) => attr(c, 'identifier') ?? '')),
    });
  }

  if (single?.name === 'extendedTextInteraction') {
    return done({ type: 'essay', stem: stemWith(promptOf), options: [], ...base(scoreMaximum ?? 1), generalFeedback: generalFeedbackFrom([]) });
  }

  if (single?.name === 'matchInteraction') {
    const responseId = attr(single, 'responseIdentifier') ?? 'RESPONSE';
    const declaration = declarations.get(responseId);
    const [sources = [], targets = []] = childElements(single, 'simpleMatchSet').map((set) => childElements(set, 'simpleAssociableChoice'));
    const pairs = (declaration?.correct.length ? declaration.correct : declaration?.mapping?.entries.filter((e) => e.value > 0).map((e) => e.key) ?? [])
      .map((pair) => pair.split(/\s+/) as [string, string]);
    if (pairs.length === 0) return fail('QTI_NO_CORRECT_RESPONSE', 'không có cặp ghép đúng (correctResponse).');
    const targetTruth = new Map(targets.map((t) => [attr(t, 'identifier') ?? '', truthOf(plain(t))]));
    const stepped = scoring.stepped?.response === responseId ? scoring.stepped : undefined;
    if (stepped && targets.length === 2 && [...targetTruth.values()].includes(true) && [...targetTruth.values()].includes(false)) {
      const points = scoreMaximum ?? 1;
      return done({ type: 'true_false_group', stem: stemWith(promptOf), ...statementsOf(sources, pairs, targetTruth, stepped.scores, points, html), ...base(points), generalFeedback: generalFeedbackFrom([]) });
    }
    const targetText = new Map(targets.map((t) => [attr(t, 'identifier') ?? '', plain(t)]));
    const options: QuestionOption[] = [];
    for (const source of sources) {
      const pair = pairs.find(([from]) => from === attr(source, 'identifier'));
      if (pair) options.push({ id: attr(source, 'identifier') ?? '', text: html(source.children), match: targetText.get(pair[1]) ?? '', fraction: 1 });
    }
    if (options.length === 0) return fail('QTI_NO_CORRECT_RESPONSE', 'không cặp ghép đúng nào (correctResponse) khớp với các lựa chọn của câu.');
    for (const target of targets) {
      if (!pairs.some(([, to]) => to === attr(target, 'identifier'))) options.push({ id: attr(target, 'identifier') ?? '', text: '', match: plain(target), fraction: 0 });
    }
    return done({
      type: 'matching', stem: stemWith(promptOf), options, ...base(scoreMaximum ?? declaration?.mapping?.upperBound ?? 1),
      shuffle: attr(single, 'shuffle') === 'true', generalFeedback: generalFeedbackFrom([]),
    });
  }

  const gapStem = stemWith(() => GAP);
  if (single?.name === 'textEntryInteraction' && LONE_GAP.test(gapStem)) {
    const responseId = attr(single, 'responseIdentifier') ?? 'RESPONSE';
    const declaration = declarations.get(responseId);
    const stem = unwrapDiv(gapStem.replace(LONE_GAP, '').trim());
    if (declaration?.cardinality === 'multiple') warnings.push(issue('QTI_MULTIPLE_CARDINALITY', 'một ô trả lời nhưng đáp án gồm nhiều giá trị; mỗi giá trị được nhận như một đáp án đúng.'));
    const notANumber = nonNumericAnswer(declaration);
    if (notANumber !== undefined) return fail('QTI_INVALID_NUMBER', `đáp án "${notANumber}" của ô trả lời số không phải là số.`);
    const gap = readGap(single, declaration, scoring, responseId, scoreMaximum);
    if (!gap) {
      // A text entry with no key is marked by hand (Kolibri's "free response"): an essay.
      return done({ type: 'essay', stem, options: [], ...base(scoreMaximum ?? 1), generalFeedback: generalFeedbackFrom([]) });
    }
    return done({
      type: gap.part.type, stem, options: gap.part.options, ...base(scoreMaximum ?? gap.points ?? 1),
      ...(gap.part.type === 'short_answer' ? { caseSensitive: gap.part.caseSensitive ?? false } : {}),
      generalFeedback: generalFeedbackFrom([]),
    });
  }

  if (interactions.every((e) => INLINE_INTERACTIONS.has(e.name))) {
    const notANumber = interactions.map((e) => nonNumericAnswer(declarations.get(attr(e, 'responseIdentifier') ?? ''))).findIndex((a) => a !== undefined);
    if (notANumber >= 0) return fail('QTI_INVALID_NUMBER', `ô trống thứ ${notANumber + 1} có đáp án không phải là số.`);
    const gaps = interactions.map((interaction) => {
      const responseId = attr(interaction, 'responseIdentifier') ?? '';
      return readGap(interaction, declarations.get(responseId), scoring, responseId, undefined);
    });
    const missing = gaps.findIndex((g) => !g);
    if (missing >= 0) return fail('QTI_NO_CORRECT_RESPONSE', `ô trống thứ ${missing + 1} không có đáp án đúng.`);
    const known = gaps.map((g) => g!.points);
    const weights = known.every((p): p is number => p !== undefined && p > 0) ? weightsOf(known) : known.map(() => 1);
    const parts: ClozePart[] = gaps.map((g, i) => ({ ...g!.part, weight: weights[i]! }));
    const points = scoreMaximum ?? (known.every((p) => p !== undefined) ? known.reduce((a, b) => a! + b!, 0)! : 1);
    return done({ type: 'cloze', stem: numberGaps(gapStem), options: [], parts, ...base(points), generalFeedback: generalFeedbackFrom([]) });
  }

  const names = [...new Set(interactions.map((e) => e.tag))].join(', ');
  return fail('QTI_UNSUPPORTED_INTERACTION', `kiểu tương tác ${names} (hoặc cách kết hợp này) chưa được hỗ trợ.`);
}

/** The points and each choice's fraction, from the mapping when the item is scored by it, else the correct response. */
function choiceValues(
  declaration: ResponseDeclaration | undefined, scoring: ResponseScoring, responseId: string, ids: string[], multiple: boolean, scoreMaximum: number | undefined,
): { points: number; fractions: number[] } | undefined {
  const mapping = declaration?.mapping;
  if (mapping && (scoring.mapped.has(responseId) || !declaration.correct.length)) {
    const value = (id: string) => mapping.entries.find((e) => e.key === id)?.value ?? 0;
    const positives = ids.map(value).filter((v) => v > 0);
    if (positives.length === 0) return undefined;
    const points = scoreMaximum ?? mapping.upperBound ?? (multiple ? positives.reduce((a, b) => a + b, 0) : Math.max(...positives));
    return { points, fractions: ids.map((id) => round(value(id) / points)) };
  }
  const correct = declaration?.correct ?? [];
  if (!correct.some((c) => ids.includes(c))) return undefined;
  return { points: scoreMaximum ?? 1, fractions: ids.map((id) => (correct.includes(id) ? round(1 / (multiple ? correct.length : 1)) : 0)) };
}

/** The first answer of a float/integer response that is not a number (it could never be typed right). */
function nonNumericAnswer(declaration: ResponseDeclaration | undefined): string | undefined {
  if (!declaration || (declaration.baseType !== 'float' && declaration.baseType !== 'integer')) return undefined;
  return [...declaration.correct, ...(declaration.mapping?.entries.map((e) => e.key) ?? [])].find((key) => !Number.isFinite(Number(key)) || key.trim() === '');
}

/** One text entry or inline choice as a gap; `points` is what the gap is worth when the scoring says so. */
function readGap(
  interaction: XmlElement, declaration: ResponseDeclaration | undefined, scoring: ResponseScoring, responseId: string, scoreMaximum: number | undefined,
): { part: Omit<ClozePart, 'weight'>; points?: number } | undefined {
  if (!declaration) return undefined;
  const mapping = scoring.mapped.has(responseId) || !declaration.correct.length ? declaration.mapping : undefined;
  const mappedPoints = mapping ? scoreMaximum ?? mapping.upperBound ?? Math.max(0, ...mapping.entries.map((e) => e.value)) : undefined;

  if (interaction.name === 'inlineChoiceInteraction') {
    const choices = childElements(interaction, 'inlineChoice');
    const ids = choices.map((c) => attr(c, 'identifier') ?? '');
    const values = choiceValues(declaration, scoring, responseId, ids, false, mappedPoints);
    if (!values) return undefined;
    return {
      part: {
        type: 'multiple_choice', shuffle: attr(interaction, 'shuffle') === 'true',
        options: choices.map((c, i) => ({ id: ids[i]!, text: escapeHtml(plain(c)), fraction: values.fractions[i]! })),
      },
      points: mapping ? values.points : undefined,
    };
  }

  const numeric = declaration.baseType === 'float' || declaration.baseType === 'integer';
  const branches = scoring.numeric.get(responseId);
  if (numeric && branches?.length) {
    const points = Math.max(...branches.map((b) => b.score));
    return { part: { type: 'numerical', options: branches.map((b, i) => numericOption(b, i, points)) }, points };
  }
  // Every mapped answer is kept, those worth nothing too (a teacher listed them, usually for feedback).
  const entries = mapping
    ? mapping.entries.map((e) => ({ ...e, fraction: round(mappedPoints ? e.value / mappedPoints : 0) }))
    : declaration.correct.map((key) => ({ key, fraction: 1, caseSensitive: true }));
  if (!entries.some((e) => e.fraction > 0)) return undefined;
  if (numeric) {
    return { part: { type: 'numerical', options: entries.map((e, i) => ({ id: String(i + 1), text: String(Number(e.key)), fraction: e.fraction, tolerance: 0 })) }, points: mappedPoints };
  }
  return {
    part: { type: 'short_answer', caseSensitive: entries.every((e) => e.caseSensitive), options: entries.map((e, i) => ({ id: String(i + 1), text: e.key, fraction: e.fraction })) },
    points: mappedPoints,
  };
}

const numericOption = (branch: NumericBranch, index: number, points: number): QuestionOption =>
  ({ id: String(index + 1), text: String(branch.value), fraction: round(points > 0 ? branch.score / points : 0), tolerance: branch.tolerance });

/** Gap weights from the points each gap is worth, as the smallest whole numbers in the same ratio when there are some. */
function weightsOf(points: number[]): number[] {
  const smallest = Math.min(...points);
  const ratios = points.map((p) => p / smallest);
  for (let k = 1; k <= 12; k++) {
    if (ratios.every((r) => Math.abs(r * k - Math.round(r * k)) < 1e-6)) return ratios.map((r) => Math.round(r * k));
  }
  return ratios.map((r) => round(r));
}

/** Our Part II shape: statements × {Đúng, Sai}, SCORE stepped by how many statements are judged right. */
function statementsOf(
  sources: XmlElement[], pairs: Array<[string, string]>, targetTruth: Map<string, boolean | undefined>, stepScores: Map<number, number>, points: number,
  html: (nodes: XmlElement['children']) => string,
): Pick<Question, 'options' | 'scoring'> {
  const options = sources.map((source, i) => {
    const id = attr(source, 'identifier') ?? '';
    const pair = pairs.find(([from]) => from === id);
    return { id: /^[a-d]$/i.test(id) ? id.toLowerCase() : String.fromCharCode(97 + i), text: html(source.children), fraction: pair && targetTruth.get(pair[1]) ? 1 : 0 };
  });
  const scoring = [...options.keys(), options.length].map((n) => round((stepScores.get(n) ?? 0) / points));
  // The exam's own rule is what an absent `scoring` means, so it is left out.
  return { options, ...(isDefaultScoring(scoring) ? {} : { scoring }) };
}
