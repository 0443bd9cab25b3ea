import { h } from './dom.ts';

/**
 * The dev sign-in: asks the local dev issuer (`POST /token`) for a token for a user and tenant of
 * the seeded data. A real app would redirect to its identity provider here instead.
 */
export function signInForm(issuerUrl: string, notice: string | undefined, onToken: (token: string) => void) {
  const user = h('input', { name: 'sub', value: 'acme-user-1', required: '' }) as HTMLInputElement;
  const tenant = h('input', { name: 'tenant', value: 'acme', required: '' }) as HTMLInputElement;
  const billing = h('input', { name: 'billing', type: 'checkbox', checked: '' }) as HTMLInputElement;
  const status = h('p', { class: 'message', role: 'status' }, notice ?? '');
  const form = h(
    'form',
    { class: 'sign-in' },
    h('h2', {}, 'Dev sign-in'),
    h('label', {}, 'User ', user),
    h('label', {}, 'Tenant ', tenant),
    h('label', {}, billing, ' may read invoices (billing:read)'),
    h('button', { type: 'submit' }, 'Sign in'),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = 'Signing in…';
    try {
      const response = await fetch(issuerUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          sub: user.value,
          tenant: tenant.value,
          scopes: billing.checked ? ['billing:read'] : [],
        }),
      });
      const body = (await response.json()) as { token?: string; errors?: { message: string }[] };
      if (!body.token) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
      onToken(body.token);
    } catch (error) {
      status.textContent = `Sign-in failed: ${(error as Error).message}`;
    }
  });
  return form;
}
