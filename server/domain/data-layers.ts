// The atlas's data layers as an importer replaces them, and where each layer's data came from: the
// build's demonstration data, the real geography of data/sources, or an imported file.

export const DATA_LAYERS = ['units', 'grids', 'facilities', 'lines', 'roads', 'population', 'disputes'] as const;
export type DataLayer = (typeof DATA_LAYERS)[number];

/** A layer's provenance, as meta.health reports it. */
export type LayerProvenance =
  | { source: 'demonstration' | 'sources' }
  | {
      source: 'imported';
      /** Base name of the imported file. */
      fileName: string;
      fileSha256: string;
      importId: number;
      /** ISO 8601. */
      importedAt: string;
      features: number;
    };
