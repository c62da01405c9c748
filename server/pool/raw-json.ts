// Answers serialised in a worker travel to the client without being parsed and serialised again on the
// event loop: a procedure returns a RawJson, tRPC serialises it as a placeholder string unique to the
// request, and the HTTP layer writes the worker's bytes in its place (spliceRawJson).

import { randomBytes } from 'node:crypto';

/** A random tag per process: request data cannot forge a placeholder. */
const NONCE = randomBytes(12).toString('hex');
const PREFIX = `\u0001atlas-raw:${NONCE}:`;

/** Placeholders as JSON.stringify writes them (\u0001 is escaped, the rest kept). */
const PLACEHOLDER = new RegExp(`"\\\\u0001atlas-raw:${NONCE}:(\\d+)"`, 'g');

/** Raw answers of one response, by placeholder number. */
export class RawJsonParts {
  private readonly parts = new Map<number, Buffer>();
  private next = 0;

  /** Registers bytes of JSON; returns the value to give tRPC in their place. */
  add(bytes: Buffer): RawJson {
    const id = this.next++;
    this.parts.set(id, bytes);
    return new RawJson(id, bytes);
  }

  get size(): number {
    return this.parts.size;
  }

  /** The body with every placeholder replaced by its bytes (the body itself when there are none). */
  splice(body: Buffer): Buffer {
    if (this.parts.size === 0) return body;
    const text = body.toString('latin1');
    const pieces: Buffer[] = [];
    let last = 0;
    for (const match of text.matchAll(PLACEHOLDER)) {
      const bytes = this.parts.get(Number(match[1]));
      if (!bytes) continue;
      pieces.push(body.subarray(last, match.index), bytes);
      last = match.index + match[0].length;
    }
    if (pieces.length === 0) return body;
    pieces.push(body.subarray(last));
    return Buffer.concat(pieces);
  }
}

/** A JSON answer held as bytes; JSON.stringify writes its placeholder. */
export class RawJson {
  constructor(
    readonly id: number,
    readonly bytes: Buffer,
  ) {}

  toJSON(): string {
    return `${PREFIX}${this.id}`;
  }

  /** The answer as a value (parses the bytes: for tests and in-process callers). */
  parse<T = unknown>(): T {
    return JSON.parse(this.bytes.toString('utf8')) as T;
  }
}
