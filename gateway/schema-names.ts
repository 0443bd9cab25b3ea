import { parse, visit } from 'graphql';

/**
 * The supergraph's names, held as property keys for as long as that supergraph serves.
 *
 * V8 keeps one copy of each property-key string (its string table), and the first copy to get
 * there is the one every later object shares. @apollo/federation-internals builds its graphql-js
 * schemas by parsing its own printout of the supergraph, and that printout's names come out in
 * V8's two-byte representation (pure ASCII, two bytes a character). Were they first, every key of
 * every answer would be two-byte, and so the whole JSON of an answer: a 87 KB answer became a
 * 175 KB string, allocated outside the young generation and flattened again on each write.
 * Parsed here from the file's one-byte text before the gateway sees it, the one-byte copies are
 * first and stay first while held.
 */
// Read by nothing: holding the keys is the point.
const held: { names: Record<string, true> } = { names: Object.create(null) };

export function holdSchemaNames(sdl: string): void {
  const names: Record<string, true> = Object.create(null);
  try {
    visit(parse(sdl, { noLocation: true }), {
      Name(node) {
        names[node.value] = true;
      },
    });
  } catch {
    // Not SDL: the gateway rejects it with its own error; there is nothing to hold.
    return;
  }
  held.names = names;
}
