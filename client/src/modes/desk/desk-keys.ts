// The desk's keyboard: which command a key press means (none while typing in a field or with a
// modifier held), and moving the selection through the queue.

import { DESK_COLUMNS, type DeskColumn } from '../../../../server/domain/desk-columns';

export type DeskCommand =
  | { kind: 'move'; delta: 1 | -1 }
  | { kind: 'open' }
  | { kind: 'escape' }
  | { kind: 'quick' }
  | { kind: 'note' }
  | { kind: 'reload' }
  | { kind: 'help' }
  | { kind: 'column'; column: DeskColumn | null };

/** What the desk needs of a keydown event. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The element that has focus: typing there is text, not a command. */
  targetTag: string;
  targetEditable: boolean;
}

/** Column shortcuts: 1 every open case, 2–7 the six columns in order. */
const COLUMN_KEYS: readonly (DeskColumn | null)[] = [null, ...DESK_COLUMNS];

/** The command of a key press, or null. Esc works in fields too (it leaves them). */
export function deskCommandOf(press: KeyPress): DeskCommand | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  const typing = press.targetEditable || press.targetTag === 'INPUT' || press.targetTag === 'TEXTAREA' || press.targetTag === 'SELECT';
  if (press.key === 'Escape') return { kind: 'escape' };
  if (typing) return null;
  switch (press.key) {
    case 'j':
    case 'ArrowDown':
      return { kind: 'move', delta: 1 };
    case 'k':
    case 'ArrowUp':
      return { kind: 'move', delta: -1 };
    case 'Enter':
      return press.targetTag === 'BUTTON' || press.targetTag === 'A' ? null : { kind: 'open' };
    case 'a':
      return { kind: 'quick' };
    case 'n':
      return { kind: 'note' };
    case 'r':
      return { kind: 'reload' };
    case '?':
      return { kind: 'help' };
    default: {
      const index = /^[1-7]$/.test(press.key) ? Number(press.key) - 1 : -1;
      return index >= 0 ? { kind: 'column', column: COLUMN_KEYS[index]! } : null;
    }
  }
}

/**
 * The id `delta` rows from `current` in `ids` (kept at the ends); the first row when nothing is
 * selected or the selection is no longer listed; null for an empty list.
 */
export function stepSelection(ids: readonly number[], current: number | null, delta: 1 | -1): number | null {
  if (ids.length === 0) return null;
  const index = current === null ? -1 : ids.indexOf(current);
  if (index < 0) return ids[0]!;
  return ids[Math.min(ids.length - 1, Math.max(0, index + delta))]!;
}
