import { visibleLength } from './style.ts';

export interface Column {
  header: string;
  /** Numbers right, words left; a column's cells all align alike, `?` included. */
  align?: 'left' | 'right';
}

function pad(cell: string, width: number, align: Column['align']): string {
  const fill = ' '.repeat(Math.max(0, width - visibleLength(cell)));
  return align === 'right' ? fill + cell : cell + fill;
}

/** Columns two spaces apart, widths from what is visible (colour codes do not count). */
export function table(
  columns: Column[],
  rows: string[][],
  header: (text: string) => string = String,
): string[] {
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...rows.map((row) => visibleLength(row[i] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i]!, columns[i]?.align))
      .join('  ')
      .trimEnd();
  return [header(line(columns.map((c) => c.header))), ...rows.map(line)];
}

/** "12,345" or "0.00345", en-US grouping whatever the locale, so columns line up the same everywhere. */
export function fmtNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
