// Authorisation on the server, one place for every procedure: the caller's capabilities, the area a
// request may cover (inside the caller's jurisdiction, or refused), and what of a case they may see
// (parties and free text masked, places rounded) — with every unmasked view written to the audit log.

import { CAPABILITIES, insideJurisdiction, type Capabilities } from '../domain/access';
import { maskFreeText, partiesFor } from '../domain/parties';
import { auditOf, type AtlasContext } from '../context';
import { RequestError } from '../request-error';
import type { DisputeRecord, DisputeStepRecord } from '../store/dispute-store';
import type { Principal } from './accounts';

/** The caller, or UNAUTHORIZED when nobody is logged in and anonymous access is off. */
export function principalOf(ctx: AtlasContext): Principal {
  if (!ctx.principal) throw new RequestError('UNAUTHORIZED', 'log in first: this server does not answer anonymous callers');
  return ctx.principal;
}

export function capabilitiesOf(ctx: AtlasContext): Capabilities {
  return CAPABILITIES[principalOf(ctx).role];
}

/** Refuses a caller without a capability, saying what it is for. */
export function requireCapability(ctx: AtlasContext, capability: Exclude<keyof Capabilities, 'actions'>, what: string): Principal {
  const principal = principalOf(ctx);
  if (!CAPABILITIES[principal.role][capability]) throw new RequestError('FORBIDDEN', `${what} is not open to the ${principal.role} role`);
  return principal;
}

/**
 * The area a request for figures covers: `code` when it is the caller's jurisdiction or inside it, the
 * jurisdiction itself when no code is given; FORBIDDEN otherwise (never another area's figures, and
 * the same answer whether or not such a unit exists).
 */
export function scopeWithin(ctx: AtlasContext, code: string | undefined, field = 'within'): string {
  const { jurisdiction } = principalOf(ctx);
  if (code === undefined) return jurisdiction;
  if (!insideJurisdiction(code, jurisdiction)) throw new RequestError('FORBIDDEN', `${field}: ${code} is outside your jurisdiction (${jurisdiction})`);
  return code;
}

/**
 * The area a map layer covers: like scopeWithin, but a unit containing the jurisdiction (the province
 * for a street officer) is narrowed to the jurisdiction instead of refused, so a map asks for its
 * layers the same way for everyone and shows only what the caller may see.
 */
export function narrowWithin(ctx: AtlasContext, code: string | undefined, field = 'within'): string {
  const { jurisdiction } = principalOf(ctx);
  if (code !== undefined && jurisdiction.startsWith(code)) return jurisdiction;
  return scopeWithin(ctx, code, field);
}

/** Whether a unit is the caller's jurisdiction, inside it or one of its ancestors (on the map's path to it). */
export function onPathToJurisdiction(principal: Principal, code: string): boolean {
  return code.startsWith(principal.jurisdiction) || principal.jurisdiction.startsWith(code);
}

/** Whether a case is visible to the caller: placed inside its jurisdiction, or across a boundary line from it. */
export function caseVisible(principal: Principal, dispute: Pick<DisputeRecord, 'placeCode' | 'otherSideCode'>): boolean {
  return (
    insideJurisdiction(dispute.placeCode, principal.jurisdiction) ||
    (dispute.otherSideCode !== null && insideJurisdiction(dispute.otherSideCode, principal.jurisdiction))
  );
}

/** Whether the caller may act on a case: it lies inside the caller's jurisdiction (the other side only reads it). */
export function caseActionable(principal: Principal, dispute: Pick<DisputeRecord, 'placeCode'>): boolean {
  return insideJurisdiction(dispute.placeCode, principal.jurisdiction);
}

/** Coordinates for callers who may not see exact places: snapped to a lattice of 0.005° (about 500 m). */
export function roundPlace([lng, lat]: readonly [number, number]): [number, number] {
  const step = 0.005;
  return [Math.round(Math.round(lng / step) * step * 1e6) / 1e6, Math.round(Math.round(lat / step) * step * 1e6) / 1e6];
}

/** A case as the caller may see it (an unmasked view is audited by auditUnmaskedView). */
export function disputeFor(principal: Principal, dispute: DisputeRecord): DisputeRecord {
  const capabilities = CAPABILITIES[principal.role];
  const names = dispute.parties.map((party) => party.name);
  return {
    ...dispute,
    parties: partiesFor(dispute.parties, capabilities.seeParties),
    summary: dispute.summary === null || capabilities.seeParties ? dispute.summary : maskFreeText(dispute.summary, names),
    lngLat: capabilities.exactPlaces ? dispute.lngLat : roundPlace(dispute.lngLat),
  };
}

/** A case's steps as the caller may see them (notes masked like the summary). */
export function stepsFor(principal: Principal, dispute: DisputeRecord, steps: readonly DisputeStepRecord[]): DisputeStepRecord[] {
  if (CAPABILITIES[principal.role].seeParties) return steps.map((step) => ({ ...step }));
  const names = dispute.parties.map((party) => party.name);
  return steps.map((step) => ({ ...step, note: step.note === null ? null : maskFreeText(step.note, names) }));
}

/** Writes an unmasked view of cases to the audit log: who saw which cases' personal data, through what. */
export function auditUnmaskedView(ctx: AtlasContext, procedure: string, caseIds: readonly number[]): void {
  const principal = principalOf(ctx);
  if (!CAPABILITIES[principal.role].seeParties || caseIds.length === 0) return;
  auditOf(ctx, 'unmasked-view', procedure, { cases: caseIds.slice(0, 50), count: caseIds.length });
}
