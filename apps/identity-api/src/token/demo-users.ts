/** Fixed demo accounts and clients: the sample identity service has no user store. */
export interface DemoUser {
  username: string;
  password: string;
  sub: string;
  name: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'alice', password: 'Pass123$', sub: '5be86359-073c-434b-ad2d-a3932222dabe', name: 'Alice Smith' },
  { username: 'bob', password: 'Pass123$', sub: '9b5b8c4e-3f0a-4f7e-9d2a-6c1e8f4b7a21', name: 'Bob Jones' },
];

/** client_id → the audience its tokens are minted for (the BFF that client talks to). */
export const CLIENT_AUDIENCES: Readonly<Record<string, string>> = {
  'web-spa': 'web-bff',
  'mobile-app': 'mobile-bff',
};

export const DEFAULT_SCOPE = 'openid profile basket orders';
