// The what-if state the URL holds so a view can be shared: the open scenario (?scenario=<id>) and the
// pair being compared (?compare=<a>,<b>, each a scenario id or "base" for today's facilities).

/** A side of a comparison: a scenario id, or 'base' (the current facilities and network). */
export type CompareSide = number | 'base';

function sideOf(text: string): CompareSide | null {
  if (text === 'base') return 'base';
  return /^[1-9]\d{0,9}$/.test(text) ? Number(text) : null;
}

/** The scenario id of ?scenario=, or null when absent or malformed. */
export function scenarioFromParams(params: URLSearchParams): number | null {
  const raw = params.get('scenario');
  if (raw === null) return null;
  const side = sideOf(raw);
  return typeof side === 'number' ? side : null;
}

/** The two sides of ?compare=a,b, or null when absent, malformed or the same side twice. */
export function compareFromParams(params: URLSearchParams): [CompareSide, CompareSide] | null {
  const raw = params.get('compare');
  if (raw === null) return null;
  const parts = raw.split(',');
  if (parts.length !== 2) return null;
  const a = sideOf(parts[0]!);
  const b = sideOf(parts[1]!);
  if (a === null || b === null || a === b) return null;
  return [a, b];
}

/** New search params with ?scenario= set (or removed for null); the other parameters kept. */
export function withScenario(params: URLSearchParams, id: number | null): URLSearchParams {
  const next = new URLSearchParams(params);
  if (id === null) next.delete('scenario');
  else next.set('scenario', String(id));
  return next;
}

/** New search params with ?compare= set (or removed for null); the other parameters kept. */
export function withCompare(params: URLSearchParams, pair: [CompareSide, CompareSide] | null): URLSearchParams {
  const next = new URLSearchParams(params);
  if (pair === null) next.delete('compare');
  else next.set('compare', `${pair[0]},${pair[1]}`);
  return next;
}
