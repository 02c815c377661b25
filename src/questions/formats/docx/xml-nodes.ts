// fast-xml-parser's `preserveOrder` tree: every element is `{ tag: children[], ':@': attributes }`
// and text is `{ '#text': '…' }`. Word documents need that shape, since the order of runs,
// tabs, breaks and equations inside a paragraph is the text.

export type XmlNode = Record<string, unknown>;

export const PRESERVE_ORDER = { preserveOrder: true } as const;

export function tagOf(node: XmlNode): string {
  return Object.keys(node).find((key) => key !== ':@') ?? '';
}

export function childrenOf(node: XmlNode): XmlNode[] {
  const value = node[tagOf(node)];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

export function attrOf(node: XmlNode, name: string): string | undefined {
  const attributes = node[':@'] as Record<string, string> | undefined;
  return attributes?.[`@_${name}`];
}

export function childNamed(node: XmlNode, tag: string): XmlNode | undefined {
  return childrenOf(node).find((child) => tagOf(child) === tag);
}

/** The first descendant with that tag, depth first. */
export function findDescendant(node: XmlNode, tag: string): XmlNode | undefined {
  for (const child of childrenOf(node)) {
    if (tagOf(child) === tag) return child;
    const found = findDescendant(child, tag);
    if (found) return found;
  }
  return undefined;
}

/** The text of every `<w:t>`/`<m:t>` below the node, in order. */
export function textOf(node: XmlNode): string {
  const tag = tagOf(node);
  if (tag === '#text') return '';
  if (tag === 'w:t' || tag === 'm:t') return childrenOf(node).map((child) => String(child['#text'] ?? '')).join('');
  return childrenOf(node).map(textOf).join('');
}
