// Proposals the siting panel hands to the what-if edits ("accept into scenario"): a tiny in-page
// channel, so the panel and the what-if hook need no shared parent beyond the page.

import { useEffect, useRef } from 'react';
import type { LngLat } from '../../../server/domain/scenario';

export interface AcceptedSite {
  lngLat: LngLat;
  name?: string;
}

type Listener = (sites: AcceptedSite[]) => void;
const listeners = new Set<Listener>();

/** Hands `sites` to every listening what-if editor; false when none listens (nothing would take them). */
export function acceptProposals(sites: AcceptedSite[]): boolean {
  for (const listener of listeners) listener(sites);
  return listeners.size > 0;
}

/** Whether a what-if editor is on the page to take proposals. */
export function hasProposalListener(): boolean {
  return listeners.size > 0;
}

/** Calls `onAccept` with the sites of every acceptProposals while mounted. */
export function useProposalAcceptance(onAccept: Listener): void {
  const ref = useRef(onAccept);
  ref.current = onAccept;
  useEffect(() => {
    const listener: Listener = (sites) => ref.current(sites);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
}
