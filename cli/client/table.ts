const NUMBER = /^(\?|\$?-?[\d,]+(\.\d+)?( ms| %)?)$/;

/** Columns aligned with two spaces between them; numbers (cells starting with a digit) right-aligned. */
export function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((row) => NUMBER.test(row[i] ?? '')));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

export function fmtNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** How a degraded field is shown: what is missing, whose fault, and whether a retry may help. */
export function describeFailure(
  what: string,
  error:
    | {
        message: string;
        extensions?: {
          code?: string;
          service?: string;
          retryable?: boolean;
          stale?: boolean;
          ageMs?: number;
        };
      }
    | undefined,
): string {
  const ext = error?.extensions ?? {};
  if (ext.stale)
    return `${what} is ${Math.round((ext.ageMs ?? 0) / 1000)} s old (${ext.service}: ${ext.code})`;
  const retry = ext.retryable ? ', retry may help' : '';
  return `${what} unavailable (${ext.service ?? 'unknown'}: ${ext.code ?? 'error'}${retry})`;
}
