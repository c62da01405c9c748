// A job's answer as bytes between threads: one status byte (0 the answer, 1 a RequestError) and UTF-8
// JSON, so the main thread forwards an answer without parsing it.

import { RequestError, type RequestErrorCode } from '../request-error';

const OK = 0;
const ERROR = 1;

function encode(status: number, value: unknown): Uint8Array {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  const bytes = new Uint8Array(json.length + 1);
  bytes[0] = status;
  bytes.set(json, 1);
  return bytes;
}

export function encodeJobAnswer(value: unknown): Uint8Array {
  return encode(OK, value);
}

export function encodeJobError(error: RequestError): Uint8Array {
  return encode(ERROR, { code: error.code, message: error.message });
}

/** The answer's JSON bytes, or throws the RequestError the job ended with. */
export function decodeJobAnswer(bytes: Uint8Array): Buffer {
  const body = Buffer.from(bytes.buffer, bytes.byteOffset + 1, bytes.byteLength - 1);
  if (bytes[0] === OK) return body;
  const { code, message } = JSON.parse(body.toString('utf8')) as { code: RequestErrorCode; message: string };
  throw new RequestError(code, message);
}
