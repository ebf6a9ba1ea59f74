/** Clients only ever see the BFF's own picture route, never a downstream's internal URL. */
export function pictureLink(productId: number): string {
  return `/api/products/${productId}/picture`;
}

/** Rounds money to cents so sums of floats do not show 12.000000001. */
export function money(value: number): number {
  return Math.round(value * 100) / 100;
}
