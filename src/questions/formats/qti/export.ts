import { buffer } from 'node:stream/consumers';
import sanitizeHtml from 'sanitize-html';
import yazl from 'yazl';
import { escapeHtml } from '../../../core/text.js';
import { THPT_2025_TRUE_FALSE_SCORING, type ClozePart, type ExportIssue, type ExportMeta, type ExportResult, type Exporter, type Question, type QuestionOption } from '../../model.js';
import { tagsWithLevel } from '../conventions.js';
import { plainText, titleFromStem } from './plain-text.js';
import { MATHML_NS } from './xml-tree.js';

/** What differs between QTI 2.1 and 3.0 in what we write: names, namespaces, template addresses. */
interface Dialect {
  itemNamespace: string;
  itemSchema: string;
  manifestNamespace: string;
  manifestSchema: string;
  itemResourceType: string;
  packageSchema: [string, string];
  /** The element name for QTI 2's camelCase name ("choiceInteraction" → "qti-choice-interaction" in 3.0). */
  element: (name: string) => string;
  attribute: (name: string) => string;
  template: (name: 'match_correct' | 'map_response') => string;
}

const camelToKebab = (text: string) => text.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const LOM_NS = 'http://ltsc.ieee.org/xsd/LOM';

const QTI21: Dialect = {
  itemNamespace: 'http://www.imsglobal.org/xsd/imsqti_v2p1',
  itemSchema: 'http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd',
  manifestNamespace: 'http://www.imsglobal.org/xsd/imscp_v1p1',
  manifestSchema: 'http://www.imsglobal.org/xsd/qti/qtiv2p1/qtiv2p1_imscpv1p2_v1p0.xsd',
  itemResourceType: 'imsqti_item_xmlv2p1',
  packageSchema: ['QTIv2.1 Package', '1.0.0'],
  element: (name) => name,
  attribute: (name) => name,
  template: (name) => `http://www.imsglobal.org/question/qti_v2p1/rptemplates/${name}`,
};

const QTI30: Dialect = {
  itemNamespace: 'http://www.imsglobal.org/xsd/imsqtiasi_v3p0',
  itemSchema: 'https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd',
  manifestNamespace: 'http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1',
  manifestSchema: 'https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_imscpv1p2_v1p0.xsd',
  itemResourceType: 'imsqti_item_xmlv3p0',
  packageSchema: ['QTI Package', '3.0.0'],
  element: (name) => `qti-${camelToKebab(name)}`,
  attribute: (name) => (name.includes(':') ? name : camelToKebab(name)),
  template: (name) => `https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/${name}.xml`,
};

const xmlText = (text: string) => text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
const num = (value: number) => String(Math.round(value * 1e6) / 1e6);
const NCNAME = /^[A-Za-z_][\w.-]*$/;

type Attrs = Record<string, string | number | boolean | undefined>;
/** One QTI element; `children` is XML already. */
type Build = (name: string, attrs?: Attrs, children?: string | string[]) => string;

function builder(dialect: Dialect): Build {
  return (name, attrs = {}, children = []) => {
    const tag = dialect.element(name);
    const written = Object.entries(attrs).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${dialect.attribute(k)}="${escapeHtml(String(v))}"`).join('');
    const content = Array.isArray(children) ? children.join('') : children;
    return content ? `<${tag}${written}>${content}</${tag}>` : `<${tag}${written}/>`;
  };
}

/** `"@@ASSET@@/<name>"` inside a quoted attribute; the name may hold spaces and Vietnamese letters. */
const ASSET_REFERENCE = /(["'])@@ASSET@@\/([^"']*)\1/g;

/**
 * Question HTML as XHTML for a QTI body: htmlparser2 (through sanitize-html, allowing everything —
 * the HTML was sanitised when stored) closes what HTML leaves open; MathML gets its namespace;
 * asset references point at the image's place in the package.
 */
function toXhtml(html: string, assetPath: (name: string) => string): string {
  const withPaths = html.replace(ASSET_REFERENCE, (_, quote: string, name: string) => `${quote}${assetPath(name)}${quote}`);
  const xhtml = sanitizeHtml(withPaths, { allowedTags: false, allowedAttributes: false, allowVulnerableTags: true, parser: { lowerCaseAttributeNames: false } });
  return xhtml.replace(/<math(?![^>]*\bxmlns=)(?=[\s/>])/g, `<math xmlns="${MATHML_NS}"`);
}

interface ItemFile { id: string; xml: string; images: Array<{ path: string; bytes: Buffer }> }

/** The scoring rule's XML and the outcomes it needs beyond SCORE. */
interface Processing { declarations: string[]; rules: string; outcomes?: string[] }

function writeItem(question: Question, position: number, dialect: Dialect, report: (code: string, message: string) => void): ItemFile {
  const id = `q${String(position).padStart(4, '0')}`;
  const el = builder(dialect);
  const assetPath = (name: string) => `images/${id}/${encodeURIComponent(name)}`;
  const xhtml = (html: string) => toXhtml(html, assetPath);
  const points = question.points;
  const stem = `<div>${xhtml(question.stem)}</div>`;
  const template = (name: 'match_correct' | 'map_response') => el('responseProcessing', { template: dialect.template(name) });
  const setScore = (expression: string) => el('setOutcomeValue', { identifier: 'SCORE' }, expression);
  const float = (value: number) => el('baseValue', { baseType: 'float' }, num(value));
  const dropOptionFeedback = () => {
    if (question.options.some((o) => o.feedback)) report('QTI_OPTION_FEEDBACK', `Phản hồi riêng của từng đáp án (kiểu ${question.type}) không được xuất sang QTI.`);
  };
  const ids = uniqueIds(question.options.map((o) => o.id), 'C');

  let body: string;
  let processing: Processing;
  switch (question.type) {
    case 'multiple_choice':
    case 'multiple_response':
    case 'true_false': {
      const multiple = question.type === 'multiple_response';
      const best = Math.max(...question.options.map((o) => o.fraction));
      const correct = question.options.map((o, i) => (multiple ? o.fraction > 0 : o.fraction === best && best > 0) ? ids[i]! : undefined).filter((v): v is string => v !== undefined);
      const allOrNothing = !multiple && question.options.every((o) => o.fraction === 0 || o.fraction === 1);
      const feedback = question.options.some((o) => o.feedback);
      const mapped = !(allOrNothing && points === 1 && !feedback);
      const choices = question.options.map((o, i) => el('simpleChoice', { identifier: ids[i] }, [
        xhtml(o.text),
        o.feedback ? el('feedbackInline', { outcomeIdentifier: 'FEEDBACK', identifier: ids[i], showHide: 'show' }, xhtml(o.feedback)) : '',
      ]));
      body = stem + el('choiceInteraction', { responseIdentifier: 'RESPONSE', shuffle: question.type === 'true_false' ? false : question.shuffle ?? false, maxChoices: multiple ? 0 : 1 }, choices);
      const cardinality = multiple ? 'multiple' : 'single';
      processing = {
        declarations: [el('responseDeclaration', { identifier: 'RESPONSE', cardinality, baseType: 'identifier' }, [
          el('correctResponse', {}, correct.map((c) => el('value', {}, c))),
          mapped ? el('mapping', { defaultValue: 0, lowerBound: multiple ? 0 : undefined, upperBound: num(points) }, question.options.map((o, i) => el('mapEntry', { mapKey: ids[i], mappedValue: num(o.fraction * points) }))) : '',
        ])],
        // Per-choice feedback needs FEEDBACK set from the response, which no template does.
        rules: feedback
          ? el('responseProcessing', {}, [setScore(el('mapResponse', { identifier: 'RESPONSE' })), el('setOutcomeValue', { identifier: 'FEEDBACK' }, el('variable', { identifier: 'RESPONSE' }))])
          : template(mapped ? 'map_response' : 'match_correct'),
        outcomes: feedback ? [el('outcomeDeclaration', { identifier: 'FEEDBACK', cardinality, baseType: 'identifier' })] : [],
      };
      break;
    }
    case 'short_answer':
    case 'numerical': {
      dropOptionFeedback();
      // One exact answer worth 1 point is what match_correct scores; anything else needs the mapping.
      const exact = points === 1 && question.options.length === 1 && question.options[0]!.fraction === 1 && !question.options[0]!.tolerance
        && (question.type === 'numerical' || question.caseSensitive === true);
      const part: ClozePart = question.type === 'short_answer'
        ? { type: 'short_answer', weight: 1, options: question.options, caseSensitive: question.caseSensitive }
        : { type: 'numerical', weight: 1, options: question.options };
      const gap = gapResponse(part, 'RESPONSE', points, el, report, !exact);
      body = stem + `<p>${gap.interaction}</p>`;
      processing = {
        declarations: [gap.declaration],
        rules: gap.branches
          ? el('responseProcessing', {}, el('responseCondition', {}, [...gap.branches(setScore), el('responseElse', {}, setScore(float(0)))]))
          : template(exact ? 'match_correct' : 'map_response'),
      };
      break;
    }
    case 'essay':
      body = stem + el('extendedTextInteraction', { responseIdentifier: 'RESPONSE', expectedLines: 10 });
      // Marked by hand: no response processing.
      processing = { declarations: [el('responseDeclaration', { identifier: 'RESPONSE', cardinality: 'single', baseType: 'string' })], rules: '' };
      break;
    case 'matching': {
      dropOptionFeedback();
      const pairs = question.options.filter((o) => o.text.trim() !== '');
      const sourceIds = uniqueIds(pairs.map((o) => o.id), 'S');
      const targets = [...new Set(question.options.map((o) => o.match ?? ''))];
      const distractorIds = new Map(question.options.filter((o) => o.text.trim() === '').map((o) => [o.match ?? '', o.id]));
      const targetIds = uniqueIds(targets.map((t, i) => distractorIds.get(t) ?? `T${i + 1}`), 'T').map((t) => (sourceIds.includes(t) ? `T_${t}` : t));
      const targetOf = (o: QuestionOption) => targetIds[targets.indexOf(o.match ?? '')]!;
      const perPair = pairs.length ? points / pairs.length : 0;
      body = stem + el('matchInteraction', { responseIdentifier: 'RESPONSE', shuffle: question.shuffle ?? false, maxAssociations: pairs.length }, [
        el('simpleMatchSet', {}, pairs.map((o, i) => el('simpleAssociableChoice', { identifier: sourceIds[i], matchMax: 1 }, xhtml(o.text)))),
        el('simpleMatchSet', {}, targets.map((t, i) => el('simpleAssociableChoice', { identifier: targetIds[i], matchMax: pairs.length }, xmlText(t)))),
      ]);
      processing = {
        declarations: [el('responseDeclaration', { identifier: 'RESPONSE', cardinality: 'multiple', baseType: 'directedPair' }, [
          el('correctResponse', {}, pairs.map((o, i) => el('value', {}, `${sourceIds[i]} ${targetOf(o)}`))),
          el('mapping', { defaultValue: 0, lowerBound: 0, upperBound: num(points) }, pairs.map((o, i) => el('mapEntry', { mapKey: `${sourceIds[i]} ${targetOf(o)}`, mappedValue: num(perPair) }))),
        ])],
        rules: template('map_response'),
      };
      break;
    }
    case 'true_false_group': {
      dropOptionFeedback();
      const scoring = question.scoring ?? THPT_2025_TRUE_FALSE_SCORING;
      const statements = question.options;
      const statementIds = uniqueIds(statements.map((o) => o.id), 'S');
      const pairOf = (o: QuestionOption, i: number) => `${statementIds[i]} ${o.fraction > 0 ? 'DUNG' : 'SAI'}`;
      body = stem + el('matchInteraction', { responseIdentifier: 'RESPONSE', shuffle: false, maxAssociations: statements.length }, [
        el('simpleMatchSet', {}, statements.map((o, i) => el('simpleAssociableChoice', { identifier: statementIds[i], matchMax: 1 }, xhtml(o.text)))),
        el('simpleMatchSet', {}, [el('simpleAssociableChoice', { identifier: 'DUNG', matchMax: statements.length }, 'Đúng'), el('simpleAssociableChoice', { identifier: 'SAI', matchMax: statements.length }, 'Sai')]),
      ]);
      // The mapping counts statements judged right; SCORE then follows the stepped rule.
      const counted = (n: number) => el('equal', { toleranceMode: 'exact' }, [el('variable', { identifier: 'NUM_CORRECT' }), float(n)]);
      const steps = statements.map((_, i) => statements.length - i);
      processing = {
        declarations: [el('responseDeclaration', { identifier: 'RESPONSE', cardinality: 'multiple', baseType: 'directedPair' }, [
          el('correctResponse', {}, statements.map((o, i) => el('value', {}, pairOf(o, i)))),
          el('mapping', { defaultValue: 0 }, statements.map((o, i) => el('mapEntry', { mapKey: pairOf(o, i), mappedValue: 1 }))),
        ])],
        outcomes: [el('outcomeDeclaration', { identifier: 'NUM_CORRECT', cardinality: 'single', baseType: 'float' })],
        rules: el('responseProcessing', {}, [
          el('setOutcomeValue', { identifier: 'NUM_CORRECT' }, el('mapResponse', { identifier: 'RESPONSE' })),
          el('responseCondition', {}, [
            ...steps.map((n, i) => el(i === 0 ? 'responseIf' : 'responseElseIf', {}, [counted(n), setScore(float((scoring[n] ?? 0) * points))])),
            el('responseElse', {}, setScore(float((scoring[0] ?? 0) * points))),
          ]),
        ]),
      };
      break;
    }
    case 'cloze': {
      const parts = question.parts ?? [];
      if (parts.some((p) => p.options.some((o) => o.feedback))) report('QTI_OPTION_FEEDBACK', 'Phản hồi riêng của các đáp án trong ô trống không được xuất sang QTI.');
      const totalWeight = parts.reduce((sum, p) => sum + p.weight, 0) || 1;
      const gaps = parts.map((part, i) => gapResponse(part, `RESPONSE_${i + 1}`, points * part.weight / totalWeight, el, report));
      body = `<div>${xhtml(question.stem).replace(/\{#(\d+)\}/g, (marker, n: string) => gaps[Number(n) - 1]?.interaction ?? marker)}</div>`;
      processing = {
        declarations: gaps.map((g) => g.declaration),
        rules: el('responseProcessing', {}, [
          setScore(float(0)),
          ...gaps.map((g, i) => (g.branches
            ? el('responseCondition', {}, g.branches((expression) => setScore(el('sum', {}, [el('variable', { identifier: 'SCORE' }), expression]))))
            : setScore(el('sum', {}, [el('variable', { identifier: 'SCORE' }), el('mapResponse', { identifier: `RESPONSE_${i + 1}` })])))),
        ]),
      };
      break;
    }
  }

  const generalFeedback = question.generalFeedback
    // Shown whatever the answer: hidden only if FEEDBACK were this identifier, which nothing sets.
    ? el('modalFeedback', { outcomeIdentifier: 'FEEDBACK', identifier: 'GENERAL_FEEDBACK', showHide: 'hide' }, dialect === QTI30 ? el('contentBody', {}, xhtml(question.generalFeedback)) : xhtml(question.generalFeedback))
    : '';
  const feedbackOutcome = generalFeedback && !processing.outcomes?.length ? [el('outcomeDeclaration', { identifier: 'FEEDBACK', cardinality: 'single', baseType: 'identifier' })] : [];
  const title = question.name ?? (titleFromStem(question.stem) || id);
  const xml = '<?xml version="1.0" encoding="UTF-8"?>\n' + el('assessmentItem', {
    xmlns: dialect.itemNamespace, 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:schemaLocation': `${dialect.itemNamespace} ${dialect.itemSchema}`,
    identifier: id, title, adaptive: false, timeDependent: false, 'xml:lang': 'vi',
  }, [
    ...processing.declarations,
    el('outcomeDeclaration', { identifier: 'SCORE', cardinality: 'single', baseType: 'float', normalMaximum: num(points) }, el('defaultValue', {}, el('value', {}, '0'))),
    ...(processing.outcomes ?? []), ...feedbackOutcome,
    el('itemBody', {}, body),
    processing.rules,
    generalFeedback,
  ].map((part) => (part ? `\n  ${part}` : '')).join('') + '\n') + '\n';

  const images = (question.assets ?? []).map((asset) => ({ path: decodeURIComponent(assetPath(asset.name)), bytes: asset.bytes }));
  const html = [question.stem, question.generalFeedback ?? '', ...[...question.options, ...(question.parts ?? []).flatMap((p) => p.options)].flatMap((o) => [o.text, o.feedback ?? ''])].join('\n');
  const referenced = new Set([...html.matchAll(ASSET_REFERENCE)].map(([, , name]) => name!));
  for (const name of referenced) {
    if (!question.assets?.some((a) => a.name === name)) report('QTI_ASSET_MISSING', `Ảnh "${name}" được tham chiếu nhưng không có tệp ảnh đi kèm.`);
  }
  // Packed all the same, but an importer collects only the images an item shows.
  for (const asset of question.assets ?? []) {
    if (!referenced.has(asset.name)) report('QTI_ASSET_UNREFERENCED', `Ảnh "${asset.name}" không được câu hỏi sử dụng; có trong gói nhưng sẽ không được nhập lại.`);
  }
  return { id, xml, images };
}

/** Identifiers QTI accepts (XML names), unique, keeping the question's own where they qualify. */
function uniqueIds(wanted: string[], prefix: string): string[] {
  const used = new Set<string>();
  return wanted.map((id, i) => {
    let chosen = NCNAME.test(id) && !used.has(id) ? id : `${prefix}${i + 1}`;
    while (used.has(chosen)) chosen = `${chosen}_`;
    used.add(chosen);
    return chosen;
  });
}

interface Gap {
  declaration: string;
  interaction: string;
  /** Numeric answers with a tolerance cannot be a mapping: responseIf branches instead, SCORE set by `assign`. */
  branches?: (assign: (expression: string) => string) => string[];
}

/** One answer box (a short answer, a numerical question, a cloze gap): its declaration, interaction and scoring. */
function gapResponse(part: ClozePart, responseId: string, points: number, el: Build, report: (code: string, message: string) => void, mapped = true): Gap {
  const best = Math.max(...part.options.map((o) => o.fraction));
  const bestOption = part.options.find((o) => o.fraction === best);
  if (part.type === 'multiple_choice' || part.type === 'multiple_response') {
    if (part.type === 'multiple_response') report('QTI_CLOZE_MULTIPLE_RESPONSE', `Ô trống ${responseId} chọn nhiều đáp án: QTI chỉ có danh sách chọn một trong câu; mỗi lựa chọn vẫn giữ điểm riêng.`);
    if (part.options.some((o) => /<[a-z]/i.test(o.text))) report('QTI_INLINE_CHOICE_MARKUP', `Ô trống ${responseId}: lựa chọn trong câu chỉ chứa được chữ thuần; định dạng và ảnh của lựa chọn bị bỏ.`);
    if (part.display && part.display !== 'dropdown') report('QTI_CLOZE_DISPLAY', `Ô trống ${responseId} hiển thị dạng nút chọn (${part.display}); QTI xuất thành danh sách thả xuống.`);
    const ids = uniqueIds(part.options.map((o) => o.id), 'C');
    return {
      declaration: el('responseDeclaration', { identifier: responseId, cardinality: 'single', baseType: 'identifier' }, [
        bestOption ? el('correctResponse', {}, el('value', {}, ids[part.options.indexOf(bestOption)]!)) : '',
        el('mapping', { defaultValue: 0, upperBound: num(points) }, part.options.map((o, i) => el('mapEntry', { mapKey: ids[i], mappedValue: num(o.fraction * points) }))),
      ]),
      interaction: el('inlineChoiceInteraction', { responseIdentifier: responseId, shuffle: part.shuffle ?? false }, part.options.map((o, i) => el('inlineChoice', { identifier: ids[i] }, xmlText(plainText(o.text))))),
    };
  }
  const numeric = part.type === 'numerical';
  if (!numeric && part.options.some((o) => o.text.includes('*'))) report('QTI_WILDCARD', `Đáp án có ký tự đại diện "*" (${responseId}): QTI so khớp nguyên văn.`);
  const declarationWith = (mapping: string) => el('responseDeclaration', { identifier: responseId, cardinality: 'single', baseType: numeric ? 'float' : 'string' }, [
    bestOption ? el('correctResponse', {}, el('value', {}, xmlText(bestOption.text))) : '', mapping,
  ]);
  const interaction = el('textEntryInteraction', { responseIdentifier: responseId, expectedLength: 20 });
  if (numeric && part.options.some((o) => (o.tolerance ?? 0) > 0)) {
    const ordered = [...part.options].sort((a, b) => b.fraction - a.fraction);
    return {
      declaration: declarationWith(''), interaction,
      branches: (assign) => ordered.map((o, i) => el(i === 0 ? 'responseIf' : 'responseElseIf', {}, [
        el('equal', o.tolerance ? { toleranceMode: 'absolute', tolerance: num(o.tolerance) } : { toleranceMode: 'exact' }, [el('variable', { identifier: responseId }), el('baseValue', { baseType: 'float' }, num(Number(o.text)))]),
        assign(el('baseValue', { baseType: 'float' }, num(o.fraction * points))),
      ])),
    };
  }
  return {
    declaration: declarationWith(mapped ? el('mapping', { defaultValue: 0, upperBound: num(points) }, part.options.map((o) => el('mapEntry', {
      mapKey: numeric ? num(Number(o.text)) : o.text, mappedValue: num(o.fraction * points), caseSensitive: numeric ? undefined : part.caseSensitive ?? false,
    }))) : ''),
    interaction,
  };
}

function lomFor(question: Question, prefix: string): string {
  const string = (text: string) => `<${prefix}:string language="vi">${xmlText(text)}</${prefix}:string>`;
  const keywords = tagsWithLevel(question).map((tag) => `<${prefix}:keyword>${string(tag)}</${prefix}:keyword>`).join('');
  const taxa = (question.topic ?? '').split('/').map((s) => s.trim()).filter(Boolean);
  const classification = taxa.length
    ? `<${prefix}:classification><${prefix}:purpose><${prefix}:source>LOMv1.0</${prefix}:source><${prefix}:value>discipline</${prefix}:value></${prefix}:purpose>`
      + `<${prefix}:taxonPath><${prefix}:source>${string('hoclieu')}</${prefix}:source>${taxa.map((t) => `<${prefix}:taxon><${prefix}:entry>${string(t)}</${prefix}:entry></${prefix}:taxon>`).join('')}</${prefix}:taxonPath></${prefix}:classification>`
    : '';
  if (!keywords && !classification) return '';
  return `<metadata><${prefix}:lom>${keywords ? `<${prefix}:general>${keywords}</${prefix}:general>` : ''}${classification}</${prefix}:lom></metadata>`;
}

function writeManifest(items: ItemFile[], questions: Question[], meta: ExportMeta, dialect: Dialect): string {
  const resources = items.map((item, i) => {
    const imageIds = item.images.map((_, n) => `${item.id}-img${n + 1}`);
    return `    <resource identifier="${item.id}" type="${dialect.itemResourceType}" href="${item.id}.xml">`
      + lomFor(questions[i]!, 'lom')
      + `<file href="${item.id}.xml"/>${imageIds.map((id) => `<dependency identifierref="${id}"/>`).join('')}</resource>\n`
      + item.images.map((image, n) => `    <resource identifier="${imageIds[n]}" type="webcontent" href="${escapeHtml(encodeURI(image.path))}"><file href="${escapeHtml(encodeURI(image.path))}"/></resource>\n`).join('');
  }).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="${dialect.manifestNamespace}" xmlns:lom="${LOM_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${dialect.manifestNamespace} ${dialect.manifestSchema}" identifier="MANIFEST-hoclieu">
  <metadata><schema>${dialect.packageSchema[0]}</schema><schemaversion>${dialect.packageSchema[1]}</schemaversion><lom:lom><lom:general><lom:title><lom:string language="vi">${xmlText(meta.title)}</lom:string></lom:title></lom:general></lom:lom></metadata>
  <organizations/>
  <resources>
${resources}  </resources>
</manifest>
`;
}

// A fixed date keeps the same bank's package byte-for-byte the same.
const ZIP_DATE = new Date('2025-01-01T00:00:00Z');

async function zip(files: Array<{ path: string; bytes: Buffer }>): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  for (const file of files) archive.addBuffer(file.bytes, file.path, { mtime: ZIP_DATE });
  archive.end();
  return buffer(archive.outputStream);
}

async function exportPackage(questions: Question[], meta: ExportMeta, dialect: Dialect): Promise<ExportResult> {
  const report: ExportIssue[] = [];
  const items = questions.map((question, i) => writeItem(question, i + 1, dialect, (code, message) => report.push({ item: i + 1, code, message: `Câu ${i + 1}: ${message}` })));
  const body = await zip([
    { path: 'imsmanifest.xml', bytes: Buffer.from(writeManifest(items, questions, meta, dialect)) },
    ...items.flatMap((item) => [{ path: `${item.id}.xml`, bytes: Buffer.from(item.xml) }, ...item.images]),
  ]);
  return { body, contentType: 'application/zip', extension: 'zip', report };
}

/** A QTI 2.1 content package: imsmanifest.xml, one item per question, images under images/<item>/. */
export const exportQti21: Exporter = (questions, meta) => exportPackage(questions, meta, QTI21);
/** A QTI 3.0 content package, laid out as exportQti21's. */
export const exportQti30: Exporter = (questions, meta) => exportPackage(questions, meta, QTI30);
