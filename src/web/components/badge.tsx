import type { ComponentChildren } from 'preact';

/** A short label: a material type, a state. */
export function Badge({ children }: { children: ComponentChildren }) {
  return <span class="badge">{children}</span>;
}
