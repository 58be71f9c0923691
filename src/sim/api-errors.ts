/**
 * API errors as the simulator sends them: an HTTP status, an `error.type` from the API's
 * vocabulary, a message and, when the error has a stable code, `details.error_code` (e.g.
 * `enforced_spend_limit_reached`, which the SDK maps to its own error class), wrapped in the
 * documented envelope.
 */

/** The `error.type` values the simulator emits. */
export type ApiErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "billing_error"
  | "api_error"
  | "overloaded_error";

/** The error object inside an envelope. */
export interface ApiErrorBody {
  type: ApiErrorType;
  message: string;
  /** Machine-readable detail; `error_code` names the cause. Absent when there is no code. */
  details?: ApiErrorDetails;
}

/** `error.details`: the stable code of the cause. */
export interface ApiErrorDetails {
  error_code: string;
}

/** The envelope: `{"type":"error","error":{...},"request_id":...}`. */
export interface ApiErrorEnvelope {
  type: "error";
  error: ApiErrorBody;
  request_id: string | null;
}

/** Thrown by handlers; the HTTP layer turns it into an error response. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: ApiErrorType;
  /** Extra response headers (e.g. `retry-after` on an injected 429). */
  readonly headers: Readonly<Record<string, string>>;
  readonly details: ApiErrorDetails | undefined;

  constructor(
    status: number,
    type: ApiErrorType,
    message: string,
    headers: Record<string, string> = {},
    details?: ApiErrorDetails,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.type = type;
    this.headers = headers;
    this.details = details;
  }

  /** The envelope for this error, carrying the response's request id. */
  envelope(requestId: string | null): ApiErrorEnvelope {
    return {
      type: "error",
      error: {
        type: this.type,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
      request_id: requestId,
    };
  }
}

/** 400 `invalid_request_error`. */
export const invalidRequest = (message: string): ApiError =>
  new ApiError(400, "invalid_request_error", message);

/** 404 `not_found_error`. */
export const notFound = (message: string): ApiError =>
  new ApiError(404, "not_found_error", message);
