// Types for tiny-osmpbf (ships none): a synchronous OSM PBF parser yielding OSM-JSON elements.

declare module 'tiny-osmpbf' {
  export interface OsmNode {
    type: 'node';
    id: number;
    lat: number;
    lon: number;
    tags?: Record<string, string>;
  }
  export interface OsmWay {
    type: 'way';
    id: number;
    nodes: number[];
    tags?: Record<string, string>;
  }
  export interface OsmRelation {
    type: 'relation';
    id: number;
    tags?: Record<string, string>;
  }
  export type OsmElement = OsmNode | OsmWay | OsmRelation;
  export default function tinyOsmPbf(data: Uint8Array, handler?: (element: OsmElement) => void): { elements?: OsmElement[] };
}
