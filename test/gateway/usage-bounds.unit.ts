import { describe, expect, it } from 'vitest';
import { createMemoryUsageStore } from '../../gateway/usage/memory-store.ts';
import { HOUR_MS } from '../../gateway/usage/record.ts';
import { usageSection } from '../../platform/config/telemetry.ts';
import { boundedLabel } from '../../platform/telemetry/bounded-label.ts';

const meta = (operation: string) => () => ({
  client: 'ios',
  clientVersion: '1',
  operation,
  signature: operation,
  coordinates: ['Query.models'],
});

describe('bounds of what clients can make us keep', () => {
  it('labels the first names, folds later and odd ones into other, and a missing one is unknown', () => {
    const label = boundedLabel(2);
    expect([label('ios'), label('web'), label('android'), label('ios')]).toEqual([
      'ios',
      'web',
      'other',
      'ios',
    ]);
    expect([label(undefined), label(''), label('x'.repeat(65)), label('a b')]).toEqual([
      'unknown',
      'unknown',
      'other',
      'other',
    ]);
    expect(boundedLabel(10, ['ios'])('web')).toBe('other');
  });

  it('records at most maxOperations keys and drops buckets past the retention', async () => {
    let now = Date.UTC(2026, 0, 1);
    const store = createMemoryUsageStore(
      usageSection.parse({ maxOperations: 2, retentionDays: 1 }),
      () => now,
    );
    expect(store.record('a', meta('A'), 1)).toBe(true);
    expect(store.record('b', meta('B'), 1)).toBe(true);
    expect(store.record('c', meta('C'), 1)).toBe(false);
    expect(store.record('a', meta('A'), 3)).toBe(true);
    const first = await store.read(now - HOUR_MS, now);
    expect(first.map((op) => [op.operation, op.count]).sort()).toEqual([
      ['A', 4],
      ['B', 1],
    ]);
    now += 2 * 24 * HOUR_MS;
    store.record('a', meta('A'), 1);
    expect((await store.read(now - 30 * 24 * HOUR_MS, now)).map((op) => [op.operation, op.count])).toEqual([
      ['A', 1],
    ]);
  });
});
