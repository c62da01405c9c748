// Dispute parties (当事人) and the free text around them, as those without a need to know see them:
// names cut to the surname, phones to their last four digits, and in free text (summaries, step notes,
// party roles) the case's party names and anything shaped like a phone, ID-card or licence-plate number.
// Masking keeps the shape of the data so screens stay readable.

import { DISPUTE_PARTY_ROLES_ZH } from './dispute-categories';

/** The limits of a reported case's summary and parties (events.report checks them; the phone form too). */
export const REPORT_LIMITS = {
  summaryMaxLength: 500,
  maxParties: 10,
  partyNameMaxLength: 50,
  partyPhoneMaxLength: 30,
  partyRoleMaxLength: 20,
} as const;

/** Characters a party's phone may hold. */
export const PARTY_PHONE_CHARACTERS = /^[\d\s+()*-]*$/;

export interface Party {
  role: string;
  name: string;
  phone: string;
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

/** Parties as someone may see them: unmasked, or names, phones and (free-text) roles masked. */
export function partiesFor(parties: readonly Party[], unmasked: boolean): Party[] {
  if (unmasked) return parties.map((p) => ({ ...p }));
  const names = parties.map((p) => p.name);
  return parties.map((p) => ({ role: maskFreeText(p.role, names), name: maskName(p.name), phone: maskPhone(p.phone) }));
}

/** Mainland mobile (1[3-9] + 9 digits) and landline (0 + area code + 7–8 digits) numbers, with separators. */
const PHONE = /(?<!\d)(?:\+?86[\s-]?)?(?:1[3-9]\d(?:[\s-]?\d){8}|0\d{2,3}[\s-]?\d{3,4}[\s-]?\d{4})(?!\d)/g;
/** Resident ID-card numbers (18 characters, the last a digit or X). */
const ID_CARD = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;
/** Vehicle licence plates: a province's character, a letter, then 5 (or 6, new energy) letters or digits. */
const LICENCE_PLATE = /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·\s]?[A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]/g;

/**
 * Free text as someone without a need to know may see it: each of the case's party names (and its
 * given name alone, after the surname) cut to the surname, and phone, ID-card and licence-plate
 * numbers masked where they appear.
 */
export function maskFreeText(text: string, partyNames: readonly string[]): string {
  let masked = text;
  // Longest names first, so a name that contains another is masked whole.
  const names = [...new Set(partyNames.map((n) => n.trim()).filter((n) => [...n].length >= 2))];
  // Given names alone, after a one- or two-character surname (欧阳, 司马 …), when two characters or more.
  const givenNames = names.flatMap((name) => [1, 2].map((cut) => [...name].slice(cut).join(''))).filter((given) => [...given].length >= 2);
  for (const name of names.sort((a, b) => b.length - a.length)) masked = masked.split(name).join(maskName(name));
  for (const given of [...new Set(givenNames)].sort((a, b) => b.length - a.length)) masked = masked.split(given).join('**');
  return masked
    .replace(ID_CARD, (match) => `${match.slice(0, 3)}${'*'.repeat(match.length - 7)}${match.slice(-4)}`)
    .replace(PHONE, (match) => maskPhone(match))
    .replace(LICENCE_PLATE, (match) => `${match.slice(0, 2)}${'*'.repeat(match.length - 2)}`);
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
