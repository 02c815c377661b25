import { escapeHtml } from '../../../core/text.js';
import { attrOf, childNamed, childrenOf, tagOf, textOf, type XmlNode } from './xml-nodes.js';

// Word's equations (OMML, `m:oMath`) → presentation MathML for the constructs teachers use most:
// runs, fractions, scripts, radicals, delimiters, n-ary operators, functions, accents, bars,
// limits, equation arrays and matrices. Anything else becomes its linear text in an <mtext>, so
// nothing is lost, only flattened. The output is canonical (adjacent runs merged, every argument
// in an <mrow>), which is what lets the exporter write it back and get the same MathML.

const INTEGRALS = new Set(['∫', '∬', '∭', '∮', '∯', '∰']);

/** `<m:oMath>` or `<m:oMathPara>` → `<math>…</math>` (display="block" for a paragraph). */
export function ommlToMathml(node: XmlNode): string {
  if (tagOf(node) === 'm:oMathPara') {
    const rows = childrenOf(node).filter((child) => tagOf(child) === 'm:oMath').map((math) => `<mrow>${convertSequence(childrenOf(math))}</mrow>`);
    return `<math display="block">${rows.join('')}</math>`;
  }
  return `<math>${convertSequence(childrenOf(node))}</math>`;
}

function convertSequence(nodes: XmlNode[]): string {
  let html = '';
  let pendingText = '';
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === 'm:r') { pendingText += textOf(node); continue; }
    if (!tag.startsWith('m:') || tag.endsWith('Pr')) continue;
    html += tokens(pendingText);
    pendingText = '';
    html += convertElement(node);
  }
  return html + tokens(pendingText);
}

/** "2,5x+1" → <mn>2,5</mn><mi>x</mi><mo>+</mo><mn>1</mn>; letters one <mi> each, as in TeX. */
export function tokens(text: string): string {
  let html = '';
  for (const match of text.matchAll(/(\d+(?:[.,]\d+)*)|(\p{L})|(\S)/gu)) {
    if (match[1]) html += `<mn>${match[1]}</mn>`;
    else if (match[2]) html += `<mi>${escapeHtml(match[2])}</mi>`;
    else html += `<mo>${escapeHtml(match[3]!)}</mo>`;
  }
  return html;
}

const row = (node: XmlNode | undefined) => `<mrow>${node ? convertSequence(childrenOf(node)) : ''}</mrow>`;
const isEmpty = (node: XmlNode | undefined) => !node || childrenOf(node).every((child) => tagOf(child).endsWith('Pr') || tagOf(child) === '#text');
const property = (node: XmlNode, propertiesTag: string, name: string) => {
  const properties = childNamed(node, propertiesTag);
  const element = properties && childNamed(properties, name);
  return element ? (attrOf(element, 'm:val') ?? '') : undefined;
};
const isOn = (value: string | undefined) => value !== undefined && value !== '0' && value !== 'off' && value !== 'false';
const mo = (text: string) => (text ? `<mo>${escapeHtml(text)}</mo>` : '');

function convertElement(node: XmlNode): string {
  const part = (tag: string) => childNamed(node, tag);
  switch (tagOf(node)) {
    case 'm:f': return `<mfrac>${row(part('m:num'))}${row(part('m:den'))}</mfrac>`;
    case 'm:sSup': return `<msup>${row(part('m:e'))}${row(part('m:sup'))}</msup>`;
    case 'm:sSub': return `<msub>${row(part('m:e'))}${row(part('m:sub'))}</msub>`;
    case 'm:sSubSup': return `<msubsup>${row(part('m:e'))}${row(part('m:sub'))}${row(part('m:sup'))}</msubsup>`;
    case 'm:rad':
      return isOn(property(node, 'm:radPr', 'm:degHide')) || isEmpty(part('m:deg'))
        ? `<msqrt>${row(part('m:e'))}</msqrt>`
        : `<mroot>${row(part('m:e'))}${row(part('m:deg'))}</mroot>`;
    case 'm:d': return delimiter(node);
    case 'm:nary': return nary(node);
    case 'm:func': return `<mrow><mi>${escapeHtml(textOf(part('m:fName') ?? {}))}</mi><mo>\u2061</mo>${row(part('m:e'))}</mrow>`;
    case 'm:acc': return `<mover accent="true">${row(part('m:e'))}${mo(property(node, 'm:accPr', 'm:chr') ?? '\u0302')}</mover>`;
    case 'm:bar': return property(node, 'm:barPr', 'm:pos') === 'bot' ? `<munder>${row(part('m:e'))}<mo>_</mo></munder>` : `<mover>${row(part('m:e'))}<mo>¯</mo></mover>`;
    case 'm:limLow': return `<munder>${row(part('m:e'))}${row(part('m:lim'))}</munder>`;
    case 'm:limUpp': return `<mover>${row(part('m:e'))}${row(part('m:lim'))}</mover>`;
    case 'm:eqArr': return `<mtable>${childrenOf(node).filter((e) => tagOf(e) === 'm:e').map((e) => `<mtr><mtd>${row(e)}</mtd></mtr>`).join('')}</mtable>`;
    case 'm:m': return `<mtable>${childrenOf(node).filter((r) => tagOf(r) === 'm:mr').map((r) => `<mtr>${childrenOf(r).filter((e) => tagOf(e) === 'm:e').map((e) => `<mtd>${row(e)}</mtd>`).join('')}</mtr>`).join('')}</mtable>`;
    case 'm:box': case 'm:borderBox': return row(part('m:e'));
    default: {
      const text = textOf(node);
      return text ? `<mtext>${escapeHtml(text)}</mtext>` : '';
    }
  }
}

function delimiter(node: XmlNode): string {
  const open = property(node, 'm:dPr', 'm:begChr') ?? '(';
  const close = property(node, 'm:dPr', 'm:endChr') ?? ')';
  const separator = property(node, 'm:dPr', 'm:sepChr') ?? '|';
  const inner = childrenOf(node).filter((child) => tagOf(child) === 'm:e').map((e) => convertSequence(childrenOf(e))).join(mo(separator));
  return `<mrow>${mo(open)}${inner}${mo(close)}</mrow>`;
}

function nary(node: XmlNode): string {
  const operator = property(node, 'm:naryPr', 'm:chr') || '∫';
  const location = property(node, 'm:naryPr', 'm:limLoc') ?? (INTEGRALS.has(operator) ? 'subSup' : 'undOvr');
  const sub = isOn(property(node, 'm:naryPr', 'm:subHide')) || isEmpty(childNamed(node, 'm:sub')) ? undefined : row(childNamed(node, 'm:sub'));
  const sup = isOn(property(node, 'm:naryPr', 'm:supHide')) || isEmpty(childNamed(node, 'm:sup')) ? undefined : row(childNamed(node, 'm:sup'));
  const [both, under, over] = location === 'subSup' ? ['msubsup', 'msub', 'msup'] : ['munderover', 'munder', 'mover'];
  const base = mo(operator);
  const limits = sub && sup ? `<${both}>${base}${sub}${sup}</${both}>` : sub ? `<${under}>${base}${sub}</${under}>` : sup ? `<${over}>${base}${sup}</${over}>` : base;
  return `<mrow>${limits}${row(childNamed(node, 'm:e'))}</mrow>`;
}
