// Errors a request ends with, independent of tRPC (jobs run in worker threads and in the CLI): a code the
// HTTP layer maps to its status and a message that names the field. Also the one unit lookup that
// answers NOT_FOUND for an unknown code.

import type { AdminUnitRecord, AtlasStore } from './store/atlas-store';

export type RequestErrorCode = 'BAD_REQUEST' | 'UNAUTHORIZED' | 'PRECONDITION_FAILED' | 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'TOO_MANY_REQUESTS' | 'TIMEOUT' | 'PAYLOAD_TOO_LARGE';

export class RequestError extends Error {
  constructor(
    readonly code: RequestErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** A request refused for its size: the message says which parameter to reduce. */
export function tooLarge(message: string): RequestError {
  return new RequestError('BAD_REQUEST', `Too large: ${message}`);
}

/** The unit with this code, or NOT_FOUND naming the field. */
export function requireUnit(store: AtlasStore, code: string, field: string): AdminUnitRecord {
  const unit = store.adminUnit(code);
  if (!unit) throw new RequestError('NOT_FOUND', `${field}: no admin unit has code ${code}`);
  return unit;
}
