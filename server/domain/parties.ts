// Dispute parties (当事人): who may see them, and how they are masked for everyone else. Masking keeps
// the shape of the data (a surname, the last digits of a phone) so screens stay readable.

import { DISPUTE_PARTY_ROLES_ZH } from './dispute-categories';

/** Roles a request can carry (from its bearer token). */
export const ROLES = ['public', 'operator', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];


export interface Party {
  role: string;
  name: string;
  phone: string;
}

/** Only supervisors (mediation and governance-centre staff with a need to know) see parties unmasked. */
export function canSeeParties(role: Role): boolean {
  return role === 'supervisor';
}

/** May report disputes and move them through the workflow. */
export function canWriteDisputes(role: Role): boolean {
  return role === 'operator' || role === 'supervisor';
}

/** "张某（演示）" → "张**", "王小明" → "王**"; an empty name stays empty. */
export function maskName(name: string): string {
  const characters = [...name.trim()];
  return characters.length === 0 ? '' : `${characters[0]}**`;
}

/** Keeps the last four digits: "000-0000-1234" → "***-****-1234", "13812345678" → "*******5678". */
export function maskPhone(phone: string): string {
  let kept = 0;
  const characters = [...phone];
  for (let i = characters.length - 1; i >= 0; i--) {
    if (/\d/.test(characters[i]!)) {
      if (kept < 4) kept += 1;
      else characters[i] = '*';
    }
  }
  return characters.join('');
}

/** Parties as the role may see them. */
export function partiesForRole(parties: readonly Party[], role: Role): Party[] {
  return canSeeParties(role) ? parties.map((p) => ({ ...p })) : parties.map((p) => ({ role: p.role, name: maskName(p.name), phone: maskPhone(p.phone) }));
}

/** Reads the stored compact form [[name, phone, role?], …] (without a role: by position). */
export function parseStoredParties(json: string): Party[] {
  const rows = JSON.parse(json) as [string, string, string?][];
  return rows.map(([name, phone, role], index) => ({ role: role ?? DISPUTE_PARTY_ROLES_ZH[index] ?? DISPUTE_PARTY_ROLES_ZH[2], name, phone }));
}

/** The stored compact form of parties (roles kept only where they differ from the positional default). */
export function storedParties(parties: readonly Party[]): string {
  return JSON.stringify(
    parties.map((p, index) => (p.role === (DISPUTE_PARTY_ROLES_ZH[index] ?? DISPUTE_PARTY_ROLES_ZH[2]) ? [p.name, p.phone] : [p.name, p.phone, p.role])),
  );
}
