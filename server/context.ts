// Request context for tRPC procedures: the store and the server's version.

import type { AtlasStore } from './store/atlas-store';

export interface AtlasContext {
  store: AtlasStore;
  /** The application version (package.json). */
  version: string;
  /** Set by the HTTP layer when the response may be cached by ETag (see http-handler.ts). */
  responseEtag?: string | null;
}
