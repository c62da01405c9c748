// 多格合一 benchmark: reconcileGrids on the Shenyang test database's unified grids against a departmental
// layer copied from them (every pair identical) and one shifted 30 m east (every pair overlaid), for one
// county (和平区) and the whole city; the report's peak RSS. Seeded data, warmed up, median and spread.

import { reconcileGrids, type ReconcilePolygon, type UnifiedGridPolygon } from '../../server/analysis/geo/grid-reconcile';
import { SqliteStore } from '../../server/store/sqlite-store';
import { ensureTestDatabase } from './bench-paths';
import { measure, printTimings, type Timing } from './measure';

const SHIFT_METERS = 30;

function shifted(grids: readonly ReconcilePolygon[], meters: number): ReconcilePolygon[] {
  return grids.map((grid) => {
    const dLng = meters / (111_320 * Math.cos((grid.coordinates[0]![0]![0]![1]! * Math.PI) / 180));
    return { ...grid, code: `D${grid.code}`, coordinates: grid.coordinates.map((polygon) => polygon.map((ring) => ring.map((p) => [p[0]! + dLng, p[1]!]))) };
  });
}

export async function runReconcileBench(): Promise<void> {
  const store = new SqliteStore(ensureTestDatabase());
  const timings: Timing[] = [];
  try {
    for (const [within, runs] of [
      ['210102', 5],
      ['2101', 1],
    ] as const) {
      const unified: UnifiedGridPolygon[] = store.grids({ withinCode: within }).map((grid) => ({ code: grid.code, name: grid.name, communityCode: grid.communityCode, coordinates: grid.geometry.coordinates }));
      const names = new Map<string, string>();
      const copies = unified.map((grid) => ({ code: `D${grid.code}`, name: grid.name, coordinates: grid.coordinates }));
      const moved = shifted(unified, SHIFT_METERS);
      let summary = '';
      timings.push(await measure(`${within}: ${unified.length} grids, identical copies`, () => reconcileGrids(unified, copies, names), { runs, warmup: 1 }));
      timings.push(
        await measure(
          `${within}: ${unified.length} grids, shifted ${SHIFT_METERS} m`,
          () => {
            const report = reconcileGrids(unified, moved, names);
            summary = `${report.summary.slivers} slivers, ${report.summary.crossings} crossings; RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`;
          },
          { runs, warmup: within === '2101' ? 0 : 1 },
        ),
      );
      timings.at(-1)!.note = summary;
    }
  } finally {
    store.close();
  }
  printTimings('多格合一 reconciliation (reconcileGrids)', timings);
}
