// Nearest network vertex of a point (for "--snap vertex" and tools that route between vertices only):
// the nodes in a packed Hilbert R-tree (flatbush) queried by k-nearest-neighbour search.

import Flatbush from 'flatbush';
import type { RoadGraph } from './road-graph';

export class VertexSnapper {
  private readonly index: Flatbush;
  /** 1 where the node has an edge. */
  private readonly connected: Uint8Array;

  /** Indexes every node that has an edge (isolated nodes are never a snap target). */
  constructor(private readonly graph: RoadGraph) {
    this.connected = new Uint8Array(graph.nodeCount);
    for (let e = 0; e < graph.edgeCount; e++) {
      this.connected[graph.edgeFrom[e]!] = 1;
      this.connected[graph.edgeTo[e]!] = 1;
    }
    this.index = new Flatbush(Math.max(1, graph.nodeCount));
    for (let n = 0; n < graph.nodeCount; n++) {
      const x = graph.nodeXY[n * 2]!;
      const y = graph.nodeXY[n * 2 + 1]!;
      this.index.add(x, y, x, y);
    }
    if (graph.nodeCount === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }

  /** The nearest node to (x, y) (metres, the graph's projection) within maxMeters, or -1. */
  nearest(x: number, y: number, maxMeters: number): number {
    if (this.graph.nodeCount === 0) return -1;
    const [node] = this.index.neighbors(x, y, 1, maxMeters, (n) => this.connected[n] === 1);
    return node ?? -1;
  }
}
