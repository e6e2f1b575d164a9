/** One answer of the worker's HTTP routes, and Connect's error body. */

export interface Reply {
  status: number;
  /** Absent: no body (Connect's 202 and 204 answers). */
  body?: unknown;
}

export function error(status: number, message: string): Reply {
  return { status, body: { error_code: status, message } };
}

export const notFound = (name: string | undefined) => error(404, `Connector ${name} not found`);
