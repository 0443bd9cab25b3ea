import type { CommandIO } from '../io.ts';
import { UsageError } from '../spec.ts';
import type { Answer } from './call.ts';
import { type ClientCommand, errorAt, runClientCommand, type View } from './run.ts';
import { statusColour } from './style.ts';
import { type Column, fmtNumber, table } from './table.ts';
import { explain } from './words.ts';

interface ModelLine {
  id: string;
  name: string;
  status: string;
  inputPer1k: number;
  outputPer1k: number;
  availability: string | null;
  requests7d: number | null;
}
interface Catalogue {
  models: ModelLine[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

const QUERY = `query Models($first: Int, $after: String) {
  catalogue(first: $first, after: $after) {
    totalCount hasNextPage endCursor
    models { id name status inputPer1k outputPer1k availability requests7d }
  }
}`;

const columns: Column[] = [
  { header: 'ID' },
  { header: 'NAME' },
  { header: 'STATUS' },
  { header: 'IN / 1K', align: 'right' },
  { header: 'OUT / 1K', align: 'right' },
  { header: 'AVAILABILITY' },
  { header: 'REQUESTS 7D', align: 'right' },
];

const statusWord: Record<string, string> = { GA: 'GA', PREVIEW: 'Preview', DEPRECATED: 'Deprecated' };

function render(answer: Answer, view: View, first: number): { lines: string[]; notes: string[] } {
  const { style } = view;
  const page = answer.data!.catalogue as Catalogue;
  // One footnote per missing column and reason, not one per cell.
  const notes = new Map<string, string>();
  const cell = <T>(value: T | null, index: number, field: string, show: (v: T) => string) => {
    if (value !== null) return show(value);
    const why = explain(errorAt(answer, 'catalogue', 'models', index, field));
    notes.set(`${field}\u0000${why}`, `? ${field === 'requests7d' ? 'requests' : field} unknown: ${why}`);
    return style.yellow('?');
  };
  const rows = page.models.map((m, i) => [
    m.id,
    m.name,
    m.status === 'DEPRECATED' ? style.dim(statusWord[m.status]!) : (statusWord[m.status] ?? m.status),
    `$${fmtNumber(m.inputPer1k, 5)}`,
    `$${fmtNumber(m.outputPer1k, 5)}`,
    cell(m.availability, i, 'availability', (v) =>
      statusColour(style, v)(v.charAt(0) + v.slice(1).toLowerCase()),
    ),
    cell(m.requests7d, i, 'requests7d', (v) => fmtNumber(v)),
  ]);
  const lines = [...table(columns, rows, style.bold), ...notes.values()];
  const shown = `Showing ${page.models.length} of ${page.totalCount} models`;
  lines.push(
    '',
    page.hasNextPage && page.endCursor
      ? `${shown}. Next page: portico models -n ${first} --after ${page.endCursor}`
      : shown,
  );
  return { lines, notes: [] };
}

function firstOf(value: unknown): number {
  const first = value === undefined ? 30 : Number(value);
  if (!Number.isInteger(first) || first < 1 || first > 100)
    throw new UsageError(`--first takes a whole number from 1 to 100, not "${value}"`);
  return first;
}

const models: ClientCommand = {
  name: 'models',
  needsToken: true,
  request: (values) => ({
    query: QUERY,
    variables: { first: firstOf(values.first), after: values.after ?? null },
  }),
  nothingServed: (answer) =>
    answer.data?.catalogue
      ? null
      : `the model catalogue is unavailable: ${explain(errorAt(answer, 'catalogue'))}`,
  render: (answer, view) => render(answer, view, (answer.data!.catalogue as Catalogue).models.length),
};

export function modelsCommand(argv: string[], io: CommandIO): Promise<number> {
  return runClientCommand(models, argv, io);
}
