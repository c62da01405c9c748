// Who may do what: the roles (names are a contract), what each may read, write and see of personal
// data, and jurisdiction as an admin-code prefix. The server checks every procedure against these.

import type { DisputeActorRole } from './dispute-categories';

export const ROLES = ['admin', 'province-officer', 'city-officer', 'county-officer', 'street-officer', 'grid-worker', 'planner', 'viewer', 'kiosk'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Readonly<Record<Role, { zh: string; en: string }>> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  'province-officer': { zh: '省级综治工作人员', en: 'Province officer' },
  'city-officer': { zh: '市级综治工作人员', en: 'City officer' },
  'county-officer': { zh: '县级综治中心工作人员', en: 'County officer' },
  'street-officer': { zh: '乡镇（街道）综治中心工作人员', en: 'Street officer' },
  'grid-worker': { zh: '网格员', en: 'Grid worker' },
  planner: { zh: '规划人员', en: 'Planner' },
  viewer: { zh: '浏览用户', en: 'Viewer' },
  kiosk: { zh: '大屏终端', en: 'Wall display' },
};

/** Officers of a governance centre at some level: they dispatch, review and close cases of their area. */
export const OFFICER_ROLES: readonly Role[] = ['province-officer', 'city-officer', 'county-officer', 'street-officer'];

/** The code length an officer's jurisdiction has (a province officer's is a province code …). */
export const OFFICER_CODE_LENGTH: Readonly<Partial<Record<Role, number>>> = {
  'province-officer': 2,
  'city-officer': 4,
  'county-officer': 6,
  'street-officer': 9,
};

export interface Capabilities {
  /** Report cases (events.report) inside the jurisdiction. */
  report: boolean;
  /** Workflow actions the role may take on cases of its jurisdiction (events.transition). */
  actions: readonly string[];
  /** See dispute parties and free text unmasked (every such view is audited). */
  seeParties: boolean;
  /** See cases' exact coordinates (else rounded to about 500 m). */
  exactPlaces: boolean;
  /** List and open individual cases (events.list, events.get); else only aggregates and the wall's feed. */
  readCases: boolean;
  /** Planning analyses and exports (plan.*). */
  plan: boolean;
  /** Administration (admin.*: users, tokens, audit, imports). */
  administer: boolean;
  /** Only what the situation wall (/screen) reads. */
  wallOnly: boolean;
}

const ALL_ACTIONS = ['assign', 'accept', 'handle', 'feedback', 'review', 'close', 'escalate', 'reopen'] as const;
const OFFICER: Capabilities = { report: true, actions: ALL_ACTIONS, seeParties: true, exactPlaces: true, readCases: true, plan: true, administer: false, wallOnly: false };

export const CAPABILITIES: Readonly<Record<Role, Capabilities>> = {
  admin: { ...OFFICER, administer: true },
  'province-officer': OFFICER,
  'city-officer': OFFICER,
  'county-officer': OFFICER,
  'street-officer': OFFICER,
  'grid-worker': { report: true, actions: ['accept', 'handle', 'feedback', 'escalate'], seeParties: true, exactPlaces: true, readCases: true, plan: false, administer: false, wallOnly: false },
  planner: { report: false, actions: [], seeParties: false, exactPlaces: false, readCases: false, plan: true, administer: false, wallOnly: false },
  // Briefing viewers (and the anonymous visitor of demonstration data) read masked cases and may try
  // planning what-ifs, which read only facilities and residents: no personal data.
  viewer: { report: false, actions: [], seeParties: false, exactPlaces: false, readCases: true, plan: true, administer: false, wallOnly: false },
  kiosk: { report: false, actions: [], seeParties: false, exactPlaces: false, readCases: false, plan: false, administer: false, wallOnly: true },
};

/** Whether a code (a unit, a grid or a case's place) lies inside a jurisdiction (a code prefix). */
export function insideJurisdiction(code: string, jurisdiction: string): boolean {
  return code.startsWith(jurisdiction);
}

/** Whether a unit is the jurisdiction or lies inside it (a request about it may be answered). */
export function unitWithinJurisdiction(unitCode: string, jurisdiction: string): boolean {
  return unitCode.startsWith(jurisdiction);
}

/**
 * Whether a jurisdiction code is well formed for a role: an admin code (2, 4, 6, 9 or 12 digits);
 * officers at their level (a street officer's is a 9-digit street code), grid workers at the community
 * whose grids they serve (12 digits), the others at any level.
 */
export function jurisdictionProblem(role: Role, code: string): string | null {
  if (!/^\d+$/.test(code) || ![2, 4, 6, 9, 12].includes(code.length)) return 'must be an admin code of 2, 4, 6, 9 or 12 digits';
  const length = OFFICER_CODE_LENGTH[role];
  if (length !== undefined && code.length !== length) return `a ${role} has a ${length}-digit jurisdiction, got ${code.length} digits`;
  if (role === 'grid-worker' && code.length !== 12) return 'a grid worker has the community (12 digits) whose grids they serve';
  return null;
}

/**
 * Who a workflow step is recorded as (the case history's actor role) when a user of `role` takes
 * `action`: reviews by reviewers; assigning, escalating, closing and reopening by the governance
 * centre's dispatchers; reports and handling by the handler of the user's level.
 */
export function workflowActorRole(role: Role, action: string): DisputeActorRole {
  if (action === 'review') return 'reviewer';
  if (action === 'assign' || action === 'escalate' || action === 'close' || action === 'reopen') return role === 'grid-worker' ? 'gridWorker' : 'dispatcher';
  if (role === 'grid-worker') return 'gridWorker';
  if (role === 'street-officer') return 'streetCentre';
  if (role === 'county-officer') return 'countyCentre';
  return 'cityDepartment';
}

/** The province's code: the widest region any view shows. */
export const PROVINCE_CODE = '21';

/**
 * The region a jurisdiction lets the views show: the jurisdiction itself when it is an admin code (2 to
 * 12 digits), the community of a grid (15 digits: the views go down to a community, whose grids they
 * draw), else the province.
 */
export function regionScopeOf(jurisdiction: string | null | undefined): string {
  if (!jurisdiction || !/^\d+$/.test(jurisdiction)) return PROVINCE_CODE;
  if (jurisdiction.length > 12) return jurisdiction.slice(0, 12);
  return jurisdiction.length >= 2 ? jurisdiction : PROVINCE_CODE;
}
