export interface ClusterLinkApiErrorInit {
  /** HTTP status, or undefined when no answer arrived (connection refused/reset, timeout). */
  status: number | undefined;
  /** The `error_code` of the JSON error envelope, when there was one. */
  errorCode: number | undefined;
  /** What the server (or the transport) said. */
  detail: string;
  retriable: boolean;
  method: string;
  path: string;
  attempts?: number;
}

/**
 * A failed call to the Cluster Linking REST API. Carries what an operator needs to act (status, the
 * API's error_code, the request line) and never the request's headers or body, which hold credentials;
 * for the same reason it does not keep the underlying axios error as `cause`.
 */
export class ClusterLinkApiError extends Error {
  override readonly name = "ClusterLinkApiError";
  readonly status: number | undefined;
  readonly errorCode: number | undefined;
  readonly detail: string;
  readonly retriable: boolean;
  readonly method: string;
  readonly path: string;
  /** How many attempts were made before giving up. */
  readonly attempts: number;

  constructor(init: ClusterLinkApiErrorInit) {
    const status = init.status === undefined ? "no response" : `HTTP ${init.status}`;
    const code = init.errorCode === undefined ? "" : ` (error_code ${init.errorCode})`;
    const attempts = init.attempts ?? 1;
    super(
      `${init.method} ${init.path}: ${status}${code}: ${init.detail}${attempts > 1 ? ` (after ${attempts} attempts)` : ""}`,
    );
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.detail = init.detail;
    this.retriable = init.retriable;
    this.method = init.method;
    this.path = init.path;
    this.attempts = attempts;
  }

  /** Refused, reset or timed out: nothing came back. */
  get noResponse(): boolean {
    return this.status === undefined;
  }

  withAttempts(attempts: number): ClusterLinkApiError {
    return new ClusterLinkApiError({ ...this, attempts });
  }
}
