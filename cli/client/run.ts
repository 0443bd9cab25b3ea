import { useCommands } from '../commands-use.ts';
import type { CommandIO } from '../io.ts';
import { type ParsedArgs, parseCommandArgs, UsageError, usageFailure } from '../spec.ts';
import { type Answer, ClientError, callBff, EXIT, notSignedIn } from './call.ts';
import { CredentialsError } from './credentials.ts';
import { type ClientSettings, clientSettings, tokenExpiry } from './settings.ts';
import { type Style, styleFor } from './style.ts';
import { ago } from './time.ts';
import type { FieldError } from './words.ts';

/** What a renderer knows of the terminal it prints for. */
export interface View {
  style: Style;
  /** The terminal's width, or null when stdout is a pipe or a file. */
  columns: number | null;
  /** Whether the call carried a token (public commands show less without one). */
  signedIn: boolean;
}

export interface ClientCommand {
  name: string;
  /** Commands whose every part needs a token refuse to run without one. */
  needsToken: boolean;
  request(
    values: ParsedArgs['values'],
    settings: ClientSettings,
  ): { query: string; variables: Record<string, unknown> };
  /** The same shape for every call, whatever was asked (`--json` is a contract). */
  json?(answer: Answer, settings: ClientSettings): Answer;
  /** Null when something was served; else why nothing was (exit 1). */
  nothingServed(answer: Answer): string | null;
  /** Lines for stdout, and notes for stderr. */
  render(answer: Answer, view: View): { lines: string[]; notes: string[] };
}

/** The error the service reported at exactly this path. */
export function errorAt(answer: Answer, ...path: (string | number)[]): FieldError | undefined {
  return answer.errors.find(
    (e) => e.path && e.path.length === path.length && path.every((key, i) => e.path![i] === key),
  );
}

// The gateway tolerates 30 s of clock skew; so does this check, which only saves a round trip.
const SKEW_MS = 30_000;

function refuseExpired(settings: ClientSettings): void {
  const expiry = settings.token && tokenExpiry(settings.token.value);
  if (expiry && expiry + SKEW_MS < Date.now())
    throw new ClientError(
      `the token from ${settings.token!.from} expired ${ago(new Date(expiry).toISOString())}; get a new one with portico login`,
      EXIT.unauthenticated,
    );
}

/**
 * The life of a terminal-client command: flags, settings, one call, then JSON or text on stdout,
 * messages on stderr, and an exit code a script can act on.
 */
export async function runClientCommand(
  command: ClientCommand,
  argv: string[],
  io: CommandIO,
): Promise<number> {
  const spec = useCommands.find((candidate) => candidate.name === command.name)!;
  try {
    const { values } = parseCommandArgs(spec, argv);
    const settings = clientSettings(values, io);
    const { query, variables } = command.request(values, settings);
    if (command.needsToken && !settings.token) throw notSignedIn();
    refuseExpired(settings);
    const answer = await callBff(io, settings, query, variables);
    if (settings.json) io.out(JSON.stringify(command.json?.(answer, settings) ?? answer, null, 2));
    const failure = command.nothingServed(answer);
    if (failure) {
      io.err(`portico: ${failure}`);
      // A field budget that is spent leaves nothing to show, as a refused request would: the same code.
      const limited = answer.errors.some((e) => e.extensions?.code === 'RATE_LIMITED');
      return limited ? EXIT.rateLimited : EXIT.failed;
    }
    if (settings.json) return EXIT.ok;
    const view = {
      style: styleFor(settings.color),
      columns: settings.columns,
      signedIn: settings.token !== null,
    };
    const { lines, notes } = command.render(answer, view);
    for (const line of lines) io.out(line);
    for (const note of notes) io.err(`portico: ${note}`);
    if (answer.errors.length > 0)
      io.err(`portico: part of this answer could not be served (see above); --json has the error codes`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(io, spec.name, error);
    if (error instanceof CredentialsError) {
      io.err(`portico: ${error.message}`);
      return EXIT.unauthenticated;
    }
    if (error instanceof ClientError) {
      io.err(`portico: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}
