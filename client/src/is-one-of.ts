// A type guard for values read from outside the type system (URL parameters, form controls): is the
// value one of a closed list of keys?

/** True when `value` is one of `values` (narrows a string from a URL or a <select> to the key type). */
export function isOneOf<T extends string | number>(values: readonly T[], value: unknown): value is T {
  return (values as readonly unknown[]).includes(value);
}
