/**
 * Failures the operations throw on purpose, each carrying its HTTP status and error code.
 * Codec errors and validation errors are mapped in `routing.ts`; these cover what the
 * operations themselves refuse (Python's `kaizen_client.service.errors`).
 */
export class ServiceError extends Error {
  override name = "ServiceError";
  readonly status: number = 400;
  readonly code: string = "bad_request";

  constructor(
    message: string,
    readonly detail: unknown = null,
  ) {
    super(message);
  }
}

/** The request names something (e.g. a stored `payload_id`) that does not exist. */
export class NotFoundError extends ServiceError {
  override name = "NotFoundError";
  override readonly status = 404;
  override readonly code = "not_found";
}
