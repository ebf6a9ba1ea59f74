import type { Problem } from '../../../sdk/web-bff';

/** An error to show the shopper, already in plain words. */
export class ShopError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const isProblem = (v: unknown): v is Problem => typeof v === 'object' && v !== null && 'status' in v && 'title' in v;

/** Turns an error answer (application/problem+json, or anything else) into a sentence for the shopper. */
export function plainWords(response: Response, body: unknown, doing: string): string {
  const problem = isProblem(body) ? body : undefined;
  const detail = problem?.detail;
  switch (response.status) {
    case 400: {
      const fields = problem?.errors?.map((e) => e.message).filter(Boolean) ?? [];
      if (fields.length > 0) return `Please check your entry: ${fields.join('; ')}.`;
      return detail ? `Please check your entry: ${detail}` : 'Please check your entry and try again.';
    }
    case 401:
      return 'Please sign in (again) to continue.';
    case 403:
      return 'That is not allowed.';
    case 404:
      return detail ?? 'We could not find that.';
    case 409:
      return detail ?? 'That can no longer be done.';
    case 413:
      return 'That was too much to send at once.';
    case 422:
      return detail ?? 'That could not be done.';
    case 429: {
      const wait = Number(response.headers.get('retry-after'));
      return `Too many requests. Please wait ${Number.isFinite(wait) && wait > 0 ? `${wait} seconds` : 'a moment'} and try again.`;
    }
    case 502:
    case 503:
    case 504:
      return `Part of the shop is not answering right now, so ${doing} did not work. Please try again in a moment.`;
    default:
      return `Something went wrong while ${doing} (error ${response.status}). Please try again.`;
  }
}

/** What a degraded part means to the shopper. */
export function degradedWords(part: string): string {
  switch (part) {
    case 'basket':
      return 'Your basket could not be loaded right now. You can keep browsing; it will be back shortly.';
    case 'brands':
    case 'types':
      return 'Some filters are unavailable right now.';
    case 'catalog':
      return 'Current prices could not be checked right now; the prices shown are those from when you added each item.';
    default:
      return `Some information (${part}) could not be loaded right now.`;
  }
}
