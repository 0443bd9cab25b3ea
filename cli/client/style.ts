/**
 * Colour for people at a terminal: only when stdout is one, never with NO_COLOR set (no-color.org)
 * or on a dumb terminal. Everything else (pipes, files, scripts) gets plain text.
 */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

const plain: Style = { bold: String, dim: String, green: String, yellow: String, red: String };

const coloured: Style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  red: sgr(31, 39),
};

export function styleFor(enabled: boolean): Style {
  return enabled ? coloured : plain;
}

/** The colour of a service or platform status word. */
export function statusColour(style: Style, status: string): (text: string) => string {
  if (status === 'OPERATIONAL') return style.green;
  if (status === 'DEGRADED' || status === 'MINOR') return style.yellow;
  return style.red;
}

/** The visible width of a string that may hold colour codes. */
export function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape codes is the point.
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
