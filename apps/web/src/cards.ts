import { type BffError, errorAt } from './client.ts';
import { age, h, money, when } from './dom.ts';
import type { WebDashboardQuery } from './generated/operations.ts';

type Dashboard = WebDashboardQuery['dashboard'];
type CardName = 'account' | 'quota' | 'models' | 'health' | 'invoices';

/** Words for the codes a failed backend comes back with. */
const failures: Record<string, string> = {
  SUBGRAPH_UNAVAILABLE: 'is unavailable',
  SUBGRAPH_TIMEOUT: 'did not answer in time',
  SUBGRAPH_CIRCUIT_OPEN: 'is failing; calls are paused for a moment',
  SUBGRAPH_ERROR: 'answered with an error',
  DEADLINE_EXCEEDED: 'did not answer before the page’s deadline',
  GATEWAY_UNAVAILABLE: 'cannot be reached through the gateway',
  FORBIDDEN: 'needs a permission you do not have',
};

/** What a person reads when a card's backend failed: which backend, what happened, whether to retry. */
export function degradedNote(error: BffError | undefined, tag = 'p'): HTMLElement {
  const code = error?.extensions?.code ?? 'INTERNAL';
  const service = error?.extensions?.service ?? 'a backend';
  const retry = error?.extensions?.retryable
    ? h('span', { class: 'retry', 'data-retryable': 'true' }, 'Retrying may help.')
    : h('span', { class: 'retry', 'data-retryable': 'false' }, 'Retrying will not help.');
  return h(
    tag,
    { class: 'degraded-note', 'data-code': code, 'data-service': service },
    h('strong', {}, service),
    ` ${failures[code] ?? 'failed'} (${code}). `,
    retry,
  );
}

/**
 * One card: its content when its part of the answer is there (with a stale badge when that part
 * is an older value served while its backend fails), or the degraded state naming the backend.
 */
function card<T>(
  name: CardName,
  title: string,
  value: T | null | undefined,
  error: BffError | undefined,
  body: (value: T) => Node[],
): HTMLElement {
  const stale = error?.extensions?.stale === true;
  const section = h('section', { class: 'card', 'data-card': name }, h('h2', {}, title));
  if (value === null || value === undefined) {
    section.classList.add('degraded');
    section.append(degradedNote(error));
    if (error?.extensions?.retryable)
      section.append(h('button', { class: 'retry-card', type: 'button' }, 'Retry'));
    return section;
  }
  if (stale) {
    const badge = h('span', { class: 'badge stale' }, `stale · ${age(error?.extensions?.ageMs ?? 0)} old`);
    badge.title = `${error.extensions?.service ?? 'a backend'} failed; showing the last good answer`;
    section.querySelector('h2')!.append(' ', badge);
  }
  section.append(...body(value));
  return section;
}

function row(label: string, value: string | number): HTMLElement {
  return h(
    'div',
    { class: 'row' },
    h('span', { class: 'label' }, label),
    h('span', { class: 'value' }, value),
  );
}

function status(value: string): HTMLElement {
  return h(
    'span',
    { class: `status ${value.toLowerCase()}` },
    // Acronyms (GA) stay as they are; other states read as words (Operational, Deprecated).
    value.length <= 2 ? value : value.charAt(0) + value.slice(1).toLowerCase(),
  );
}

/** Every card of the dashboard, each from its own part of the answer and the errors at its path. */
export function dashboardCards(d: Dashboard, errors: BffError[]): HTMLElement[] {
  const at = (...path: (string | number)[]) => errorAt(errors, 'dashboard', ...path);
  return [
    card('account', 'Account', d.tenant, at('tenant'), (tenant) => [
      row('Signed in as', d.viewer ? `${d.viewer.name} (${d.viewer.id})` : 'unknown'),
      row('Tenant', tenant.name),
      row('Plan', `${tenant.plan} · ${tenant.tier}`),
      row('Price', `${money(tenant.monthlyPrice, tenant.currency)} / month`),
    ]),
    card('quota', '30-day quota', d.quota, at('quota'), (quota) => [
      h(
        'div',
        { class: 'meter', role: 'meter', 'aria-valuenow': String(quota.percentUsed) },
        h('div', { class: 'fill', style: `width:${Math.min(100, quota.percentUsed)}%` }),
      ),
      row('Tokens', `${quota.percentUsed}% of ${quota.tokenLimit.toLocaleString('en')}`),
      row(
        'Requests',
        `${quota.requestsUsed.toLocaleString('en')} of ${quota.requestLimit.toLocaleString('en')}`,
      ),
      row('Resets', when(quota.resetsAt)),
    ]),
    card('models', 'Models', d.models, at('models'), (models) => [
      h(
        'ul',
        { class: 'models' },
        ...models.map((m, i) => {
          const availability = m.availability
            ? status(m.availability.status)
            : h(
                'span',
                { class: 'unknown' },
                'availability unknown: ',
                degradedNote(at('models', i, 'availability')),
              );
          const usage = m.usage7d
            ? `${m.usage7d.requests.toLocaleString('en')} requests · ${m.usage7d.cost.toFixed(2)} in 7 days`
            : 'usage unknown';
          return h(
            'li',
            { class: 'model', 'data-model': m.id },
            h('span', { class: 'name' }, m.name),
            ' ',
            h('span', { class: 'provider' }, m.provider),
            ' ',
            status(m.status),
            ' ',
            availability,
            h('div', { class: 'usage' }, usage),
            m.replacement ? h('div', { class: 'replacement' }, `Move to ${m.replacement.name}`) : null,
          );
        }),
      ),
    ]),
    card('health', 'Platform health', d.health, at('health'), (health) => [
      row('Overall', health.status),
      row('Checked', when(health.checkedAt)),
      h(
        'ul',
        { class: 'services' },
        ...health.services.map((s) =>
          h(
            'li',
            {},
            h('span', { class: 'name' }, s.name),
            ' ',
            status(s.status),
            ` ${Math.round(s.latencyMs)} ms`,
          ),
        ),
      ),
      ...health.incidents.map((i) =>
        h('p', { class: 'incident' }, status(i.severity), ` ${i.title} · since ${when(i.startedAt)}`),
      ),
    ]),
    card('invoices', 'Recent invoices', d.recentInvoices, at('recentInvoices'), (invoices) => [
      h(
        'table',
        {},
        ...invoices.map((inv) =>
          h(
            'tr',
            {},
            h('td', {}, inv.number),
            h('td', {}, inv.period),
            h('td', {}, money(inv.amount, inv.currency)),
            h('td', {}, status(inv.status)),
          ),
        ),
      ),
    ]),
  ];
}
