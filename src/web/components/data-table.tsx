import type { ComponentChildren } from 'preact';

export interface Column<T> {
  header: string;
  cell: (row: T) => ComponentChildren;
  /** The column whose cell names the row: a row header for screen readers. */
  rowHeader?: boolean;
}

/**
 * A table of records with a caption, scrolling sideways on narrow screens (focusable, so that the
 * keyboard scrolls it too), and a sentence instead of an empty table. For admin lists and the like.
 */
export function DataTable<T>({ caption, columns, rows, empty, id }: { caption: string; columns: Column<T>[]; rows: T[]; empty: string; id?: string }) {
  if (rows.length === 0) return <p class="meta">{empty}</p>;
  return (
    <div class="table-scroll" role="region" aria-label={caption} tabindex={0} id={id}>
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <thead><tr>{columns.map((column) => <th scope="col">{column.header}</th>)}</tr></thead>
        <tbody>
          {rows.map((row) => (
            <tr>{columns.map((column) => (column.rowHeader ? <th scope="row">{column.cell(row)}</th> : <td>{column.cell(row)}</td>))}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
