/** A downstream answer that does not fit its contract schema (see @app/contracts); the message names the field path. */
export class ShapeError extends Error {}
