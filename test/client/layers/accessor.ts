// Evaluates a deck.gl accessor prop (a constant or a function of the datum) the way deck.gl does, so
// layer tests can read the colour or width a layer would draw for a datum without WebGL.

export function evaluate<T>(accessor: unknown, datum: unknown, index = 0): T {
  return (typeof accessor === 'function' ? accessor(datum, { index, data: [], target: [] }) : accessor) as T;
}
