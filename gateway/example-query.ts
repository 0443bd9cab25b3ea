/** The README's example: one query planned across billing, metering, models and health. */
export const EXAMPLE_QUERY =
  '{ tenant { name plan { name } usage(window: LAST_7D) { requests cost } } models(first: 3) { nodes { id name pricing { inputPer1kTokens } usage(window: LAST_7D) { requests } availability { status } } } }';
