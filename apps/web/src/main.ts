import { dashboardCards } from './cards.ts';
import { execute } from './client.ts';
import { h } from './dom.ts';
import { WebDashboardDocument } from './generated/operations.ts';
import { signInForm } from './sign-in.ts';

/** Where the BFF and the dev issuer are: their ports, on the host this page was loaded from. */
interface AppConfig {
  bffPort: number;
  issuerPort: number;
}

const config = JSON.parse(document.getElementById('portico-config')!.textContent!) as AppConfig;
const base = (port: number) => `${location.protocol}//${location.hostname}:${port}`;
const bffUrl = `${base(config.bffPort)}/graphql`;
const TOKEN_KEY = 'portico.token';
const root = document.getElementById('app')!;
let countdown: ReturnType<typeof setInterval> | undefined;

function show(state: string, ...children: Node[]): void {
  clearInterval(countdown);
  root.dataset.state = state;
  root.replaceChildren(...children);
}

function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  showSignIn();
}

function showSignIn(notice?: string): void {
  show(
    'signed-out',
    signInForm(`${base(config.issuerPort)}/token`, notice, (token) => {
      sessionStorage.setItem(TOKEN_KEY, token);
      void load();
    }),
  );
}

/** A whole-page state: the BFF refused the request as a whole, so no card can be shown. */
function page(state: string, title: string, message: string, ...actions: Node[]): void {
  show(
    state,
    h(
      'section',
      { class: 'page-state' },
      h('h2', {}, title),
      h('p', { class: 'message' }, message),
      ...actions,
    ),
  );
}

function button(label: string, onClick: () => void): HTMLElement {
  const element = h('button', { type: 'button' }, label);
  element.addEventListener('click', onClick);
  return element;
}

/** 429: count Retry-After down on screen, then try again by itself. */
function rateLimited(retryAfterSec: number, message: string): void {
  let left = retryAfterSec;
  const seconds = h('span', { class: 'countdown' }, String(left));
  page('rate-limited', 'Too many requests', message, h('p', {}, 'Trying again in ', seconds, ' s.'));
  countdown = setInterval(() => {
    left -= 1;
    seconds.textContent = String(Math.max(0, left));
    if (left <= 0) void load();
  }, 1000);
}

async function load(): Promise<void> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return showSignIn();
  root.dataset.state = 'loading';
  const outcome = await execute(bffUrl, WebDashboardDocument, { models: 6 }, token);
  switch (outcome.kind) {
    case 'unauthenticated':
      return page('unauthenticated', 'Please sign in again', outcome.message, button('Sign in', signOut));
    case 'rate-limited':
      return rateLimited(outcome.retryAfterSec, outcome.message);
    case 'failed':
      return page(
        'failed',
        'The dashboard cannot be loaded',
        outcome.message,
        button('Retry', () => void load()),
      );
    case 'data': {
      const { dashboard } = outcome.data;
      const cards = dashboardCards(dashboard, outcome.errors);
      for (const retry of cards.flatMap((c) => [...c.querySelectorAll('.retry-card')]))
        retry.addEventListener('click', () => void load());
      const header = h(
        'header',
        { class: 'toolbar' },
        h(
          'span',
          { class: 'generated' },
          `Updated ${new Date(dashboard.generatedAt).toLocaleTimeString('en-GB')}`,
        ),
        button('Refresh', () => void load()),
        button('Sign out', signOut),
      );
      return show('dashboard', header, h('div', { class: 'cards' }, ...cards));
    }
  }
}

void load();
