// Hides the mouse cursor after `idleMs` without movement (a wall shows no pointer); any movement
// brings it back. Sets `data-cursor="hidden"` on the element the ref is attached to.

import { useEffect, type RefObject } from 'react';

export function useIdleCursor(ref: RefObject<HTMLElement | null>, idleMs = 3_000): void {
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hide = (): void => element.setAttribute('data-cursor', 'hidden');
    const show = (): void => {
      element.removeAttribute('data-cursor');
      clearTimeout(timer);
      timer = setTimeout(hide, idleMs);
    };
    // Hidden from the start: a wall boots with nobody at the mouse.
    hide();
    window.addEventListener('pointermove', show, { passive: true });
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pointermove', show);
      element.removeAttribute('data-cursor');
    };
  }, [ref, idleMs]);
}
