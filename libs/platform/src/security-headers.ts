/**
 * The security headers of every answer: the OWASP REST Security Cheat Sheet's set for a JSON API
 * (https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#security-headers),
 * plus `Referrer-Policy` and `Cross-Origin-Resource-Policy`. Cache-Control is set per answer by the
 * conditional-GET hook, Content-Type by the serializer.
 *
 * Not helmet's set: that one is made for browser pages (DNS prefetch, download options, Flash
 * policies, origin-agent clusters…) and cost 11 headers, ~480 bytes on every answer — as much as a
 * priced basket's body (see the README's "Choices").
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  // Answers are never framed; no further CSP: they are data, and the docs page runs inline script.
  'content-security-policy': "frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
});

/** The headers as a mutable copy (Fastify's reply.headers takes a plain object). */
export function securityHeaders(): Record<string, string> {
  return { ...SECURITY_HEADERS };
}
