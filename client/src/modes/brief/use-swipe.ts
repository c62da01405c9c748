// A sideways touch swipe over an element (pointer events): at least SWIPE_MIN_PX across and mostly across.
// Mouse and pen drags are left alone (they select text); vertical moves scroll the page as usual, so the
// element should have `touch-action: pan-y`.

import { useRef, type PointerEvent } from 'react';

/** A swipe: at least this far sideways, px. */
export const SWIPE_MIN_PX = 60;

/** +1 for a swipe to the left (next), −1 to the right (previous), 0 for no swipe. */
export function swipeDirection(dx: number, dy: number): 1 | -1 | 0 {
  if (Math.abs(dx) < SWIPE_MIN_PX || Math.abs(dx) <= 2 * Math.abs(dy)) return 0;
  return dx < 0 ? 1 : -1;
}

export function useSwipe(onSwipe: (direction: 1 | -1) => void) {
  const start = useRef<{ x: number; y: number; id: number } | null>(null);
  return {
    onPointerDown(event: PointerEvent): void {
      if (event.pointerType === 'touch' && event.isPrimary) start.current = { x: event.clientX, y: event.clientY, id: event.pointerId };
    },
    onPointerUp(event: PointerEvent): void {
      const from = start.current;
      start.current = null;
      if (!from || from.id !== event.pointerId) return;
      const direction = swipeDirection(event.clientX - from.x, event.clientY - from.y);
      if (direction !== 0) onSwipe(direction);
    },
    onPointerCancel(): void {
      start.current = null;
    },
  };
}
