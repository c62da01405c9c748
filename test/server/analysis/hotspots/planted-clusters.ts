// How well hotspots.* finds the clusters the demonstration generator planted (table planted_cluster, the
// cases carrying dispute.cluster_id): per kind, whether each was detected and characterised, and the
// false alarms of each analysis. Shared by the recall test (test DB) and the bench (any database).

import Database from 'better-sqlite3';
import { cellToLatLng, gridDisk } from 'h3-js';
import { appRouter } from '../../../../server/routers/app';
import type { AtlasStore } from '../../../../server/store/atlas-store';
import { createCallerFactory } from '../../../../server/trpc';
import { testContext } from '../../../support/context';
import { formatChinaDate } from '../../../../server/domain/china-time';

export const PLANTED_KINDS = ['persistent', 'emerging', 'diminishing', 'boundary'] as const;
export type PlantedKind = (typeof PLANTED_KINDS)[number];

export interface PlantedClusterRow {
  id: number;
  kind: PlantedKind;
  centerLngLat: [number, number];
  radiusMeters: number;
  startMs: number;
  endMs: number;
  boundaryLineId: string | null;
  /** County (6 digits) of its cases. */
  countyCode: string;
}

/** The planted clusters of a database (empty when it has none). */
export function readPlantedClusters(databasePath: string): PlantedClusterRow[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    const table = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'planted_cluster'").get() as { n: number };
    if (table.n === 0) return [];
    const rows = db
      .prepare(
        `SELECT c.id, c.kind, c.center_lng, c.center_lat, c.radius_meters, c.start_ms, c.end_ms, c.boundary_line_id,
                substr((SELECT d.grid_code FROM dispute d WHERE d.cluster_id = c.id LIMIT 1), 1, 6) AS county
         FROM planted_cluster c ORDER BY c.id`,
      )
      .all() as { id: number; kind: PlantedKind; center_lng: number; center_lat: number; radius_meters: number; start_ms: number; end_ms: number; boundary_line_id: string | null; county: string }[];
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      centerLngLat: [row.center_lng, row.center_lat],
      radiusMeters: row.radius_meters,
      startMs: row.start_ms,
      endMs: row.end_ms,
      boundaryLineId: row.boundary_line_id,
      countyCode: row.county,
    }));
  } finally {
    db.close();
  }
}

/** Metres between two lng/lat points (local plane; fine at these distances). */
export function distanceMeters(a: readonly number[], b: readonly number[]): number {
  const kx = 111_320 * Math.cos((((a[1]! + b[1]!) / 2) * Math.PI) / 180);
  return Math.hypot((a[0]! - b[0]!) * kx, (a[1]! - b[1]!) * 110_574);
}

const DAY_MS = 86_400_000;
/** A day "YYYY-MM-DD" in China time. */
export const chinaDate = (ms: number): string => formatChinaDate(ms);

/** A hot cell (or a line's peak) counts for a cluster when it lies within its radius plus this. */
export const MATCH_SLACK_METERS = 500;
/** A hot cell (or line peak) is a false alarm when it lies further than this beyond every cluster's radius. */
export const FALSE_ALARM_METERS = 2000;

export interface KindRecall {
  planted: number;
  /** Found as a hot spot (Gi*, or for boundary clusters their line flagged). */
  detected: number;
  /** Found with the right time pattern (emerging category or trend; boundary: the line flagged). */
  characterised: number;
}

export interface FalseAlarmCount {
  /** Flagged units (cells or lines). */
  flagged: number;
  /** Of those, further than FALSE_ALARM_METERS beyond every planted cluster. */
  far: number;
  /** Units analysed. */
  analysed: number;
  /** Connected groups of flagged cells, and those of them with no cell near a cluster (cells only). */
  regions?: number;
  farRegions?: number;
}

export interface PlantedEvaluation {
  byKind: Record<PlantedKind, KindRecall>;
  falseAlarms: { giStar: FalseAlarmCount; emerging: FalseAlarmCount; boundary: FalseAlarmCount };
  /** How each cluster was found. */
  notes: Map<number, string[]>;
  /** The settings, for the report. */
  settings: string[];
}

const cellCentre = (id: string): [number, number] => {
  const [lat, lng] = cellToLatLng(id);
  return [lng, lat];
};

/** Connected groups of cells (H3 k = 1 adjacency) and whether each has a member satisfying `near`. */
function cellRegions(ids: readonly string[], near: (id: string) => boolean): { regions: number; farRegions: number } {
  const members = new Set(ids);
  const seen = new Set<string>();
  let regions = 0;
  let farRegions = 0;
  for (const start of ids) {
    if (seen.has(start)) continue;
    regions++;
    let anyNear = false;
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (near(id)) anyNear = true;
      for (const next of gridDisk(id, 1)) {
        if (members.has(next) && !seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    if (!anyNear) farRegions++;
  }
  return { regions, farRegions };
}

const makeCaller = (store: AtlasStore) => createCallerFactory(appRouter)(testContext(store, { version: 'planted-clusters' }));

export interface EvaluationOptions {
  /** Study areas (admin codes): each cluster is evaluated in the area holding its county. */
  studyAreas: readonly string[];
  /** H3 resolution of the cell analyses (default 8). */
  resolution?: 7 | 8 | 9;
  /** Lowest hot class that counts (default 2: 95 %). */
  minClass?: 1 | 2 | 3;
  /** Benjamini-Hochberg control (default true). */
  fdr?: boolean;
  /** Gi* of the counts ('none', default) or of the counts less those expected from residents. */
  baseline?: 'none' | 'residents';
}

/**
 * Runs hotspots.cells (last 90 days; and each diminishing cluster's active period), hotspots.emerging
 * (26 weekly slices and 12 monthly slices to now) and hotspots.boundaryRisk (12 months, 500 m) in every
 * study area and scores them against the planted clusters.
 */
export async function evaluatePlantedClusters(store: AtlasStore, clusters: readonly PlantedClusterRow[], nowMs: number, options: EvaluationOptions): Promise<PlantedEvaluation> {
  const caller = makeCaller(store);
  const resolution = options.resolution ?? 8;
  const minClass = options.minClass ?? 2;
  const fdr = options.fdr ?? true;
  const baseline = options.baseline ?? 'none';
  const to = chinaDate(nowMs - DAY_MS);
  const notes = new Map<number, string[]>();
  const note = (id: number, how: string) => notes.set(id, [...(notes.get(id) ?? []), how]);
  const near = (lngLat: readonly number[], cluster: PlantedClusterRow, slack = MATCH_SLACK_METERS) =>
    distanceMeters(lngLat, cluster.centerLngLat) <= cluster.radiusMeters + slack;
  const nearAny = (lngLat: readonly number[]) => clusters.some((cluster) => near(lngLat, cluster, FALSE_ALARM_METERS));
  const giStar: FalseAlarmCount = { flagged: 0, far: 0, analysed: 0, regions: 0, farRegions: 0 };
  const emerging: FalseAlarmCount = { flagged: 0, far: 0, analysed: 0 };
  const boundary: FalseAlarmCount = { flagged: 0, far: 0, analysed: 0 };
  const detected = new Set<number>();
  const characterised = new Set<number>();

  for (const within of options.studyAreas) {
    const inArea = clusters.filter((cluster) => cluster.countyCode.startsWith(within));
    // Gi* over the last 90 days.
    const cells = await caller.hotspots.cells({ within, from: chinaDate(nowMs - 90 * DAY_MS), to, resolution, fdr, baseline, significantOnly: true });
    giStar.analysed += cells.unitCount as number;
    const hotIds = cells.features.filter((f) => f.properties.class >= minClass).map((f) => f.properties.id);
    giStar.flagged += hotIds.length;
    for (const id of hotIds) {
      const centre = cellCentre(id);
      if (!nearAny(centre)) giStar.far++;
      for (const cluster of inArea) {
        if (cluster.kind !== 'diminishing' && near(centre, cluster) && !detected.has(cluster.id)) {
          detected.add(cluster.id);
          note(cluster.id, `Gi* last 90 days`);
        }
      }
    }
    const regions = cellRegions(hotIds, (id) => nearAny(cellCentre(id)));
    giStar.regions! += regions.regions;
    giStar.farRegions! += regions.farRegions;

    // Diminishing clusters: Gi* over their active period.
    for (const cluster of inArea.filter((c) => c.kind === 'diminishing')) {
      const active = await caller.hotspots.cells({ within, from: chinaDate(cluster.startMs), to: chinaDate(cluster.endMs - DAY_MS), resolution, fdr, baseline, significantOnly: true });
      if (active.features.some((f) => f.properties.class >= minClass && near(cellCentre(f.properties.id), cluster))) {
        detected.add(cluster.id);
        note(cluster.id, 'Gi* over its active period');
      }
    }

    // Emerging hot spots: 26 weekly slices (emerging clusters) and 12 monthly slices (the others).
    const weekly = await caller.hotspots.emerging({ within, from: chinaDate(nowMs - 26 * 7 * DAY_MS), to, slice: 'week', resolution, baseline });
    const monthly = await caller.hotspots.emerging({ within, from: chinaDate(nowMs - 365 * DAY_MS), to, slice: 'month', resolution, baseline, includeNone: true });
    const newKinds = ['newHot', 'consecutiveHot', 'intensifyingHot'];
    emerging.analysed += weekly.unitCount as number;
    for (const feature of weekly.features) {
      if (!newKinds.includes(feature.properties.category)) continue;
      emerging.flagged++;
      if (!nearAny(cellCentre(feature.properties.id))) emerging.far++;
    }
    for (const cluster of inArea) {
      const around = (answer: typeof weekly) => answer.features.filter((f) => near(cellCentre(f.properties.id), cluster)).map((f) => f.properties);
      let found: boolean;
      if (cluster.kind === 'emerging') {
        found = around(weekly).some((p) => [...newKinds, 'sporadicHot'].includes(p.category));
        if (found) note(cluster.id, 'emerging weekly: new/consecutive/intensifying/sporadic hot');
      } else if (cluster.kind === 'diminishing') {
        found = around(monthly).some((p) => ['diminishingHot', 'historicalHot'].includes(p.category) || (p.hotSlices > 0 && (p.trendZ ?? 0) <= -1.96));
        if (found) note(cluster.id, 'emerging monthly: falling trend of hot cells');
      } else {
        found = around(monthly).some((p) => ['persistentHot', 'intensifyingHot', 'diminishingHot'].includes(p.category));
        if (found) note(cluster.id, 'emerging monthly: persistent/intensifying hot');
      }
      if (found) characterised.add(cluster.id);
    }

    // Boundary risk over 12 months.
    const risk = await caller.hotspots.boundaryRisk({ within, from: chinaDate(nowMs - 365 * DAY_MS), to, bufferMeters: 500 });
    boundary.analysed += risk.features.length;
    for (const feature of risk.features) {
      if (feature.properties.risk === 'normal') continue;
      boundary.flagged++;
      if (!nearAny(feature.properties.peak.lngLat)) boundary.far++;
    }
    for (const cluster of inArea.filter((c) => c.kind === 'boundary')) {
      const line = risk.features.find((f) => f.properties.id === cluster.boundaryLineId);
      if (line && line.properties.risk !== 'normal') {
        detected.add(cluster.id);
        characterised.add(cluster.id);
        note(cluster.id, `boundary risk ${line.properties.risk}, rank ${line.properties.rank} of ${risk.features.length}`);
      }
    }
  }

  const byKind = Object.fromEntries(
    PLANTED_KINDS.map((kind) => {
      const ofKind = clusters.filter((c) => c.kind === kind && options.studyAreas.some((within) => c.countyCode.startsWith(within)));
      return [kind, { planted: ofKind.length, detected: ofKind.filter((c) => detected.has(c.id)).length, characterised: ofKind.filter((c) => characterised.has(c.id)).length }];
    }),
  ) as Record<PlantedKind, KindRecall>;
  const settings = [
    `study areas ${options.studyAreas.join(', ')}; H3 resolution ${resolution}, k-ring 1, binary weights; Gi* of ${baseline === 'residents' ? 'counts less those expected from residents' : 'counts'}; hot = class ≥ +${minClass}${fdr ? ' with Benjamini-Hochberg FDR' : ''}`,
    `a cell or line peak counts for a cluster within its radius + ${MATCH_SLACK_METERS} m; a false alarm lies beyond radius + ${FALSE_ALARM_METERS} m of every cluster`,
    'Gi*: last 90 days (diminishing clusters: their active period); emerging: 26 weekly slices (new/consecutive/intensifying/sporadic hot) and 12 monthly slices; boundary: 12 months, 500 m buffer, risk high or elevated',
  ];
  return { byKind, falseAlarms: { giStar, emerging, boundary }, notes, settings };
}

/** The evaluation as Markdown tables. */
export function formatPlantedEvaluation(title: string, evaluation: PlantedEvaluation, clusters: readonly PlantedClusterRow[]): string {
  const lines = [`\n## ${title}`, ...evaluation.settings.map((s) => `- ${s}`), '', '| kind | planted | detected | characterised |', '|---|---:|---:|---:|'];
  for (const kind of PLANTED_KINDS) {
    const k = evaluation.byKind[kind];
    lines.push(`| ${kind} | ${k.planted} | ${k.detected} | ${k.characterised} |`);
  }
  const { giStar, emerging, boundary } = evaluation.falseAlarms;
  lines.push(
    '',
    '| analysis | analysed | flagged | far from every cluster | regions (far) |',
    '|---|---:|---:|---:|---:|',
    `| Gi* hot cells, last 90 days | ${giStar.analysed} | ${giStar.flagged} | ${giStar.far} | ${giStar.regions} (${giStar.farRegions}) |`,
    `| emerging new/consecutive/intensifying hot cells, weekly | ${emerging.analysed} | ${emerging.flagged} | ${emerging.far} | |`,
    `| boundary lines high or elevated | ${boundary.analysed} | ${boundary.flagged} | ${boundary.far} | |`,
    '',
  );
  for (const cluster of clusters) lines.push(`- cluster ${cluster.id} (${cluster.kind}, ${cluster.countyCode}): ${(evaluation.notes.get(cluster.id) ?? ['not found']).join('; ')}`);
  return lines.join('\n');
}
