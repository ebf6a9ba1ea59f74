import { h } from '../dom';
import { navigate, type ViewContext } from '../router';
import { signIn } from '../session';
import { errorBanner, messageSlot } from '../ui';

/** Only same-site paths are followed after sign-in (no open redirect through ?next=). */
const safeNext = (next: string | null): string => (next && next.startsWith('/') && !next.startsWith('//') ? next : '/');

export function signInView({ query }: ViewContext) {
  const messages = messageSlot();
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, 'data-testid': 'signin-username' });
  const password = h('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    'data-testid': 'signin-password',
  });
  const submit = h('button', { type: 'submit', 'data-testid': 'signin-submit' }, 'Sign in');
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    submit.disabled = true;
    messages.show(null);
    try {
      await signIn(username.value.trim(), password.value);
      navigate(safeNext(query.get('next')), true);
    } catch (err) {
      messages.show(errorBanner(err));
      submit.disabled = false;
    }
  };
  return h(
    'section',
    { class: 'narrow', 'data-testid': 'signin-page' },
    h('h1', {}, 'Sign in'),
    h(
      'form',
      { onsubmit: onSubmit, 'data-testid': 'signin-form', class: 'stack' },
      h('label', {}, 'User name', username),
      h('label', {}, 'Password', password),
      submit,
    ),
    messages,
    h('p', { class: 'muted' }, 'Demo users: alice or bob, password Pass123$'),
  );
}
