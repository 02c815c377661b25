import {
  Math as DocxMath, MathAngledBrackets, MathCurlyBrackets, MathFraction, MathFunction, MathIntegral, MathRadical, MathRoundBrackets, MathRun,
  MathSquareBrackets, MathSubScript, MathSubSuperScript, MathSum, MathSuperScript, type MathComponent,
} from 'docx';
import { parseUntrustedXml } from '../safe-xml.js';
import { PRESERVE_ORDER, childrenOf, tagOf, type XmlNode } from './xml-nodes.js';

// MathML → a Word equation, for the constructs omml.ts produces (so an imported equation prints
// and reads back the same); anything else is written as its text inside the equation.

const BRACKETS: Record<string, [string, (options: { children: MathComponent[] }) => MathComponent]> = {
  '(': [')', (options) => new MathRoundBrackets(options)],
  '[': [']', (options) => new MathSquareBrackets(options)],
  '{': ['}', (options) => new MathCurlyBrackets(options)],
  '⟨': ['⟩', (options) => new MathAngledBrackets(options)],
};
const SCRIPTED = new Set(['munderover', 'msubsup', 'munder', 'msub', 'mover', 'msup']);

/** `<math>…</math>` → a docx equation; undefined if it is not well-formed XML. */
export function mathmlToDocx(mathml: string): DocxMath | undefined {
  let tree: XmlNode[];
  try {
    tree = parseUntrustedXml(mathml, PRESERVE_ORDER) as XmlNode[];
  } catch {
    return undefined;
  }
  const math = tree.find((node) => tagOf(node) === 'math');
  return math ? new DocxMath({ children: components(childrenOf(math)) }) : undefined;
}

function text(node: XmlNode): string {
  if (tagOf(node) === '#text') return String(node['#text']);
  return childrenOf(node).map(text).join('');
}

const elements = (nodes: XmlNode[]) => nodes.filter((node) => tagOf(node) !== '#text');
/** An argument's content: the <mrow> around a script or fraction argument is only grouping, not brackets. */
const unwrap = (node: XmlNode | undefined) => (!node ? [] : tagOf(node) === 'mrow' ? components(childrenOf(node)) : components([node]));
const argument = (node: XmlNode, index: number) => unwrap(elements(childrenOf(node))[index]);

function components(nodes: XmlNode[]): MathComponent[] {
  return elements(nodes).flatMap((node): MathComponent[] => {
    switch (tagOf(node)) {
      case 'mi': case 'mn': case 'mo': case 'mtext': case 'ms': return [new MathRun(text(node))];
      case 'mrow': case 'mstyle': case 'mpadded': return row(elements(childrenOf(node)));
      case 'mfrac': return [new MathFraction({ numerator: argument(node, 0), denominator: argument(node, 1) })];
      case 'msup': return [new MathSuperScript({ children: argument(node, 0), superScript: argument(node, 1) })];
      case 'msub': return [new MathSubScript({ children: argument(node, 0), subScript: argument(node, 1) })];
      case 'msubsup': return [new MathSubSuperScript({ children: argument(node, 0), subScript: argument(node, 1), superScript: argument(node, 2) })];
      case 'msqrt': return [new MathRadical({ children: elements(childrenOf(node)).flatMap(unwrap) })];
      case 'mroot': return [new MathRadical({ children: argument(node, 0), degree: argument(node, 1) })];
      default: return [new MathRun(text(node))];
    }
  });
}

/** An <mrow> that is a bracket pair, a function application or an n-ary operator, else its content. */
function row(children: XmlNode[]): MathComponent[] {
  const [first, second] = children;
  const last = children[children.length - 1];
  const bracket = first && tagOf(first) === 'mo' ? BRACKETS[text(first)] : undefined;
  if (bracket && children.length >= 2 && last && tagOf(last) === 'mo' && text(last) === bracket[0]) {
    return [bracket[1]({ children: components(children.slice(1, -1)) })];
  }
  if (first && second && tagOf(first) === 'mi' && text(first).length > 1 && tagOf(second) === 'mo' && text(second) === '\u2061') {
    return [new MathFunction({ name: [new MathRun(text(first))], children: children.slice(2).flatMap(unwrap) })];
  }
  const operator = first && SCRIPTED.has(tagOf(first)) ? elements(childrenOf(first))[0] : undefined;
  const symbol = operator && tagOf(operator) === 'mo' ? text(operator) : '';
  const limits = first && elements(childrenOf(first));
  if (first && limits && (symbol === '∑' || symbol === '∫')) {
    const tag = tagOf(first);
    const lower = ['munderover', 'msubsup', 'munder', 'msub'].includes(tag) ? unwrap(limits[1]) : undefined;
    const upper = tag === 'munderover' || tag === 'msubsup' ? unwrap(limits[2]) : ['mover', 'msup'].includes(tag) ? unwrap(limits[1]) : undefined;
    const options = { children: children.slice(1).flatMap(unwrap), subScript: lower, superScript: upper };
    return [symbol === '∑' ? new MathSum(options) : new MathIntegral(options)];
  }
  return components(children);
}
