/** Process-wide serving state: set when shutdown begins, read by readiness and the response hook. */
export class Lifecycle {
  draining = false;
}
