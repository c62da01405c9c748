// Copies typed arrays and raw buffers into SharedArrayBuffers: a structure of them posted to a worker
// thread is shared, not copied, so every thread of the pool reads the same prepared data.

type TypedArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

/** A copy of `array` in shared memory (the array itself when it already is). */
export function shareArray<T extends TypedArray>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const Ctor = array.constructor as new (buffer: SharedArrayBuffer) => T;
  const copy = new Ctor(new SharedArrayBuffer(array.byteLength));
  copy.set(array as never);
  return copy;
}

/** A copy of a raw buffer in shared memory (the buffer itself when it already is). */
export function shareBuffer(buffer: ArrayBuffer | SharedArrayBuffer): SharedArrayBuffer {
  if (buffer instanceof SharedArrayBuffer) return buffer;
  const copy = new SharedArrayBuffer(buffer.byteLength);
  new Uint8Array(copy).set(new Uint8Array(buffer));
  return copy;
}

const isTypedArray = (value: unknown): value is TypedArray => ArrayBuffer.isView(value) && !(value instanceof DataView);

/**
 * A copy of a plain structure (objects, arrays, numbers, strings) with every typed array and raw buffer
 * in it moved to shared memory. Class instances are not expected: convert them to parts first.
 */
export function shareStructure<T>(value: T): T {
  if (isTypedArray(value)) return shareArray(value) as T;
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return shareBuffer(value) as T;
  if (typeof value === 'function') throw new TypeError('shareStructure: functions do not cross threads');
  if (Array.isArray(value)) return value.map((item) => shareStructure(item)) as T;
  if (value !== null && typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) as object | null;
    if (prototype !== Object.prototype && prototype !== null) throw new TypeError(`shareStructure: a ${prototype.constructor.name} is not a plain structure`);
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shareStructure(item)])) as T;
  }
  return value;
}

/** Bytes of typed arrays and buffers in a structure (what it holds in shared memory). */
export function structureBytes(value: unknown): number {
  if (isTypedArray(value)) return value.byteLength;
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return value.byteLength;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + structureBytes(item), 0);
  if (value !== null && typeof value === 'object') return Object.values(value).reduce((sum: number, item) => sum + structureBytes(item), 0);
  return 0;
}
