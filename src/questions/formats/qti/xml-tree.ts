import { escapeHtml } from '../../../core/text.js';
import { parseUntrustedXml } from '../safe-xml.js';

/**
 * A small ordered XML tree over fast-xml-parser's `preserveOrder` output. QTI item bodies are
 * XHTML with interactions mixed in, so the order of text and elements must survive to rebuild
 * the question's HTML; the flat object form fast-xml-parser gives by default loses it.
 */
export interface XmlElement {
  /** The tag as written, prefix included ("m:math", "qti-simple-choice"). */
  tag: string;
  /**
   * Version-neutral local name: prefix dropped, QTI 3's kebab "qti-simple-choice" turned into
   * QTI 2's "simpleChoice", so one mapping reads both versions.
   */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | { text: string };

export const MATHML_NS = 'http://www.w3.org/1998/Math/MathML';

type RawNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const kebabToCamel = (text: string) => text.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const camelToKebab = (text: string) => text.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function neutralName(tag: string): string {
  const local = tag.includes(':') ? tag.slice(tag.indexOf(':') + 1) : tag;
  return local.startsWith('qti-') ? kebabToCamel(local.slice(4)) : local;
}

function toNode(raw: RawNode): XmlNode | undefined {
  const tag = Object.keys(raw).find((key) => key !== ':@');
  if (tag === undefined) return undefined;
  if (tag === '#text') return { text: String(raw[tag]) };
  if (tag.startsWith('?') || tag === '#comment') return undefined;
  const children = (raw[tag] as RawNode[]).map(toNode).filter((n): n is XmlNode => n !== undefined);
  return { tag, name: neutralName(tag), attrs: { ...(raw[':@'] ?? {}) }, children };
}

/** Parses untrusted XML (entities and external DTDs refused by parseUntrustedXml) into the root element. */
export function parseXmlTree(text: string): XmlElement {
  const raw = parseUntrustedXml(text, { preserveOrder: true, attributeNamePrefix: '', commentPropName: '#comment' }) as RawNode[];
  const root = raw.map(toNode).find((n): n is XmlElement => n !== undefined && 'tag' in n);
  if (!root) throw new Error('no root element');
  return root;
}

export const isElement = (node: XmlNode): node is XmlElement => 'tag' in node;

/** An attribute by its QTI 2 camelCase name, also found under its QTI 3 kebab-case name. */
export function attr(element: XmlElement, camelName: string): string | undefined {
  return element.attrs[camelName] ?? element.attrs[camelToKebab(camelName)];
}

export const childElements = (element: XmlElement, name?: string): XmlElement[] =>
  element.children.filter((c): c is XmlElement => isElement(c) && (name === undefined || c.name === name));

export const firstChild = (element: XmlElement, name: string): XmlElement | undefined => childElements(element, name)[0];

/** Every element below (not including) `element`, depth first in document order. */
export function descendants(element: XmlElement, name?: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (node: XmlElement) => {
    for (const child of childElements(node)) {
      if (name === undefined || child.name === name) found.push(child);
      walk(child);
    }
  };
  walk(element);
  return found;
}

export function textContent(node: XmlNode): string {
  return isElement(node) ? node.children.map(textContent).join('') : node.text;
}

/** The prefixes bound to MathML where `element` stands, given those bound above it. */
export function mathPrefixesOf(element: XmlElement, inherited: Set<string> = new Set()): Set<string> {
  const prefixes = new Set(inherited);
  for (const [name, value] of Object.entries(element.attrs)) if (name.startsWith('xmlns:') && value === MATHML_NS) prefixes.add(name.slice(6));
  return prefixes;
}

/** Elements HTML writes without an end tag. */
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const escapeText = (text: string) => text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

export interface HtmlWriteOptions {
  /** Replaces an element's HTML (interactions become gaps or disappear); undefined = write it normally. */
  replace?: (element: XmlElement) => string | undefined;
  /** Rewrites an attribute value (image paths become asset references). */
  attribute?: (element: XmlElement, name: string, value: string) => string;
}

/**
 * Writes XML nodes back as HTML, as the service's sanitiser writes it: void elements without a
 * slash, text escaped. MathML keeps its markup; a prefix bound to the MathML namespace ("m:mi")
 * is dropped, as are the namespace declarations, because HTML knows `<math>` by name.
 */
export function writeHtml(nodes: XmlNode[], options: HtmlWriteOptions = {}, mathPrefixes: Set<string> = new Set()): string {
  return nodes.map((node) => {
    if (!isElement(node)) return escapeText(node.text);
    const replaced = options.replace?.(node);
    if (replaced !== undefined) return replaced;
    const prefixes = mathPrefixesOf(node, mathPrefixes);
    const prefix = node.tag.includes(':') ? node.tag.slice(0, node.tag.indexOf(':')) : undefined;
    const tag = prefix !== undefined && prefixes.has(prefix) ? node.name : node.tag;
    const attrs = Object.entries(node.attrs)
      .filter(([name]) => name !== 'xmlns' && !name.startsWith('xmlns:') && !name.startsWith('xsi:'))
      .map(([name, value]) => ` ${name}="${escapeHtml(options.attribute ? options.attribute(node, name, value) : value)}"`)
      .join('');
    if (VOID_ELEMENTS.has(tag)) return `<${tag}${attrs}>`;
    return `<${tag}${attrs}>${writeHtml(node.children, options, prefixes)}</${tag}>`;
  }).join('');
}
