// Writes the generated demonstration layers (grids, demand points, facilities, walking network,
// disputes with their workflow steps, planted clusters) into the atlas database, feeding everything
// written into a content hash, so two generations can be compared by one value.

import type { Hash } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  DISPUTE_ACTOR_ROLES,
  DISPUTE_ACTOR_ROLE_KEYS,
  DISPUTE_OUTCOMES,
  DISPUTE_SOURCES,
  DISPUTE_TYPES,
} from '../domain/dispute-categories';
import {
  DISPUTE_ACTIONS,
  DISPUTE_ACTION_LABELS,
  DISPUTE_SEVERITIES,
  DISPUTE_SEVERITY_LABELS,
  DISPUTE_STATUSES,
  DISPUTE_STATUS_LABELS,
  HANDLING_LEVELS,
  HANDLING_LEVEL_LABELS,
} from '../domain/dispute-workflow';
import type { DemoData } from '../../data/generator/generate-demo-data';
import { formatPartyName, formatPartyPhone, type DisputeColumns } from '../../data/generator/disputes-columns';
import { DISPUTE_STEP_NOTES } from '../../data/generator/disputes-lifecycle';
import { EDGE_CLASSES } from '../../data/generator/walking-network';
import { STEP_ACTION_REPORT } from '../store/dispute-rows';
import { OTHER_SIDE_REACH_METERS } from '../store/dispute-store';
import { otherSideCodes, type BoundarySides } from '../analysis/geo/nearest-line';
import { boundsOf } from './write-geography';

/** Feeds a typed array's bytes to the hash. */
function hashArray(hash: Hash, array: ArrayBufferView): void {
  hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}


export function writeGrids(db: Database.Database, demo: DemoData, hash: Hash): void {
  const insert = db.prepare(
    `INSERT INTO grid (id, code, name, community_code, urban, population, households, full_time_workers, part_time_workers,
                       area_m2, label_lng, label_lat, geojson)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertBox = db.prepare('INSERT INTO grid_rtree (id, min_lng, max_lng, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)');
  demo.partition.grids.forEach((grid, index) => {
    const id = index + 1;
    const geojson = JSON.stringify({ type: 'MultiPolygon', coordinates: grid.polygon });
    const row = [
      id,
      grid.code,
      grid.name,
      grid.parentCode,
      Number(grid.urban),
      grid.population,
      grid.households,
      grid.fullTimeWorkers,
      grid.partTimeWorkers,
      Math.round(grid.areaSquareMeters),
      grid.labelLngLat[0],
      grid.labelLngLat[1],
      geojson,
    ] as const;
    insert.run(...row);
    hash.update(JSON.stringify(row));
    const [minLng, minLat, maxLng, maxLat] = boundsOf(grid.polygon.flat(2));
    insertBox.run(id, minLng, maxLng, minLat, maxLat);
  });

  const points = demo.partition.demandPoints;
  const insertPoint = db.prepare('INSERT INTO demand_point (id, grid_id, lng, lat, population) VALUES (?, ?, ?, ?, ?)');
  for (let i = 0; i < points.population.length; i++) {
    insertPoint.run(i + 1, points.gridIndex[i]! + 1, points.lngLat[i * 2]!, points.lngLat[i * 2 + 1]!, points.population[i]!);
  }
  hashArray(hash, points.lngLat);
  hashArray(hash, points.population);
  hashArray(hash, points.gridIndex);
}

export function writeFacilities(db: Database.Database, demo: DemoData, hash: Hash): Record<string, number> {
  const f = demo.facilities;
  const insert = db.prepare(
    `INSERT INTO facility (id, kind, name, unit_code, community_code, lng, lat, capacity, opening_hours, standardised)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertBox = db.prepare('INSERT INTO facility_rtree (id, min_lng, max_lng, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)');
  const counts: Record<string, number> = {};
  for (let i = 0; i < f.kind.length; i++) {
    const lng = f.lngLat[i * 2]!;
    const lat = f.lngLat[i * 2 + 1]!;
    const row = [i + 1, f.kind[i]!, f.name[i]!, f.unitCode[i]!, f.communityCode[i]!, lng, lat, f.capacity[i]!, f.openingHours[i]!, Number(f.standardised[i])] as const;
    insert.run(...row);
    hash.update(JSON.stringify(row));
    insertBox.run(i + 1, lng, lng, lat, lat);
    counts[`facilities.${f.kind[i]}`] = (counts[`facilities.${f.kind[i]}`] ?? 0) + 1;
  }
  counts.facilities = f.kind.length;
  return counts;
}

export function writeWalkingNetwork(db: Database.Database, demo: DemoData, hash: Hash): Record<string, number> {
  const network = demo.network;
  if (!network) return { roadNodes: 0, roadEdges: 0 };
  const insertNode = db.prepare('INSERT INTO road_node (id, lng, lat) VALUES (?, ?, ?)');
  const nodeCount = network.nodeLngLat.length / 2;
  for (let i = 0; i < nodeCount; i++) insertNode.run(i + 1, network.nodeLngLat[i * 2]!, network.nodeLngLat[i * 2 + 1]!);
  const insertEdge = db.prepare(
    'INSERT INTO road_edge (id, from_node, to_node, length_meters, class, street_code) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertBox = db.prepare('INSERT INTO road_rtree (id, min_lng, max_lng, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)');
  for (let e = 0; e < network.edgeFrom.length; e++) {
    const from = network.edgeFrom[e]!;
    const to = network.edgeTo[e]!;
    insertEdge.run(e + 1, from + 1, to + 1, network.edgeLengthMeters[e]!, EDGE_CLASSES[network.edgeClass[e]!]!, network.areaCodes[network.edgeArea[e]!]!);
    const x0 = network.nodeLngLat[from * 2]!;
    const y0 = network.nodeLngLat[from * 2 + 1]!;
    const x1 = network.nodeLngLat[to * 2]!;
    const y1 = network.nodeLngLat[to * 2 + 1]!;
    insertBox.run(e + 1, Math.min(x0, x1), Math.max(x0, x1), Math.min(y0, y1), Math.max(y0, y1));
  }
  const insertBarrier = db.prepare('INSERT INTO barrier (id, kind, name, city_code, geojson) VALUES (?, ?, ?, ?, ?)');
  network.barriers.forEach((barrier, i) => {
    insertBarrier.run(i + 1, barrier.kind, barrier.name, barrier.cityCode, JSON.stringify({ type: 'LineString', coordinates: barrier.coordinates }));
  });
  hashArray(hash, network.nodeLngLat);
  hashArray(hash, network.edgeFrom);
  hashArray(hash, network.edgeTo);
  hashArray(hash, network.edgeLengthMeters);
  hashArray(hash, network.edgeClass);
  hash.update(JSON.stringify(network.barriers));
  return {
    roadNodes: nodeCount,
    roadEdges: network.edgeFrom.length,
    roadComponents: network.components.count,
    barriers: network.barriers.length,
  };
}

/** The code lists the dispute tables refer to, written into code_list so the database explains itself. */
function writeCodeLists(db: Database.Database): void {
  const insert = db.prepare('INSERT INTO code_list (list, code, key, label_zh) VALUES (?, ?, ?, ?)');
  const lists: [string, { key: string; labelZh: string }[]][] = [
    ['dispute_type', DISPUTE_TYPES.map(({ key, label }) => ({ key, labelZh: label.zh }))],
    ['dispute_source', DISPUTE_SOURCES.map(({ key, label }) => ({ key, labelZh: label.zh }))],
    ['dispute_outcome', DISPUTE_OUTCOMES.map(({ key, label }) => ({ key, labelZh: label.zh }))],
    ['actor_role', DISPUTE_ACTOR_ROLES.map(({ key, label }) => ({ key, labelZh: label.zh }))],
    ['dispute_severity', DISPUTE_SEVERITIES.map((key) => ({ key, labelZh: DISPUTE_SEVERITY_LABELS[key].zh }))],
    ['dispute_status', DISPUTE_STATUSES.map((key) => ({ key, labelZh: DISPUTE_STATUS_LABELS[key].zh }))],
    ['handling_level', HANDLING_LEVELS.map((key) => ({ key, labelZh: HANDLING_LEVEL_LABELS[key].zh }))],
    ['step_action', [{ key: 'report', labelZh: '登记受理' }, ...DISPUTE_ACTIONS.map((key) => ({ key, labelZh: DISPUTE_ACTION_LABELS[key].zh }))]],
  ];
  for (const [list, entries] of lists) entries.forEach((entry, code) => insert.run(list, code, entry.key, entry.labelZh));
}

/**
 * The street across the nearest street boundary line within OTHER_SIDE_REACH_METERS of every generated
 * case (see DisputeRecord.otherSideCode), in case row order.
 */
export function disputeOtherSides(demo: DemoData, streetLines: readonly BoundarySides[]): (string | null)[] {
  const { events, gridCodes } = demo.disputes;
  const lngLat = new Float64Array(2 * events.length);
  const placeCodes: string[] = new Array<string>(events.length);
  for (let i = 0; i < events.length; i++) {
    lngLat[2 * i] = events.lng[i]!;
    lngLat[2 * i + 1] = events.lat[i]!;
    placeCodes[i] = gridCodes[events.gridIndex[i]!]!;
  }
  return otherSideCodes(streetLines, lngLat, placeCodes, OTHER_SIDE_REACH_METERS);
}

/**
 * Disputes, and their history as steps in global time order (the first step of every case is its
 * report), so the step table reads as the append-only log a live stream continues. `otherSides`: each
 * case's street across a boundary line (disputeOtherSides), null for all when not given.
 */
export function writeDisputes(db: Database.Database, demo: DemoData, hash: Hash, otherSides?: readonly (string | null)[]): Record<string, number> {
  writeCodeLists(db);
  const { events, steps, gridCodes, clusters } = demo.disputes;
  const insertCase = prepareCaseInsert(db);
  const stepsPerCase = new Map<number, number>();
  for (let s = 0; s < steps.length; s++) stepsPerCase.set(steps.eventId[s]!, (stepsPerCase.get(steps.eventId[s]!) ?? 0) + 1);
  let nearBoundary = 0;
  for (let i = 0; i < events.length; i++) {
    const otherSide = otherSides?.[i] ?? null;
    if (otherSide !== null) nearBoundary++;
    insertCase(events, i, gridCodes[events.gridIndex[i]!]!, otherSide, 1 + (stepsPerCase.get(events.id[i]!) ?? 0));
  }

  // The log: one report per case plus every transition, ordered by time (ties: case id, then step).
  const reportCount = events.length;
  const total = reportCount + steps.length;
  const order = new Uint32Array(total);
  for (let k = 0; k < total; k++) order[k] = k;
  const timeOf = (k: number): number => (k < reportCount ? events.reportedAtMs[k]! : steps.atMs[k - reportCount]!);
  const caseOf = (k: number): number => (k < reportCount ? events.id[k]! : steps.eventId[k - reportCount]!);
  const stepOf = (k: number): number => (k < reportCount ? 0 : steps.seq[k - reportCount]!);
  order.sort((a, b) => timeOf(a) - timeOf(b) || caseOf(a) - caseOf(b) || stepOf(a) - stepOf(b));
  const insertStep = db.prepare(
    `INSERT INTO dispute_step (seq, dispute_id, step, action, from_status, to_status, at, handling_level, actor_role, note)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const reportedStatus = DISPUTE_STATUSES.indexOf('reported');
  const gridLevel = HANDLING_LEVELS.indexOf('grid');
  const sourceRole = DISPUTE_ACTOR_ROLE_KEYS.indexOf('gridWorker');
  for (let n = 0; n < total; n++) {
    const k = order[n]!;
    if (k < reportCount) {
      insertStep.run(n + 1, events.id[k]!, 0, STEP_ACTION_REPORT, null, reportedStatus, Math.round(events.reportedAtMs[k]!), gridLevel, sourceRole, null);
    } else {
      const s = k - reportCount;
      insertStep.run(
        n + 1,
        steps.eventId[s]!,
        steps.seq[s]!,
        steps.actionIndex[s]! + 1,
        steps.fromStatusIndex[s]!,
        steps.toStatusIndex[s]!,
        Math.round(steps.atMs[s]!),
        steps.handlingLevelIndex[s]!,
        steps.actorRoleIndex[s]!,
        DISPUTE_STEP_NOTES[steps.noteIndex[s]!] || null,
      );
    }
  }

  const insertCluster = db.prepare(
    `INSERT INTO planted_cluster (id, kind, center_lng, center_lat, radius_meters, start_ms, end_ms, multiplier,
                                  boundary_line_id, event_count, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const cluster of clusters) {
    insertCluster.run(
      cluster.id,
      cluster.kind,
      cluster.centerLngLat[0],
      cluster.centerLngLat[1],
      cluster.radiusMeters,
      Math.round(cluster.startMs),
      Math.round(cluster.endMs),
      cluster.multiplier,
      cluster.boundaryLineId ?? null,
      cluster.eventCount,
      JSON.stringify(cluster),
    );
  }

  for (const column of Object.values(events)) if (ArrayBuffer.isView(column)) hashArray(hash, column);
  for (const column of Object.values(steps)) if (ArrayBuffer.isView(column)) hashArray(hash, column);
  hash.update(JSON.stringify(clusters));
  return { disputes: events.length, disputesNearStreetLine: nearBoundary, disputeSteps: total, plantedClusters: clusters.length };
}

/** Parties as compact JSON [[name, phone], …] (role by position: 申请人, 被申请人, 第三人). */
function compactParties(events: DisputeColumns, i: number): string {
  const parties: [string, string][] = [];
  for (let k = 0; k < events.partyCount[i]!; k++) parties.push([formatPartyName(events, i, k), formatPartyPhone(events, i, k)]);
  return JSON.stringify(parties);
}

const nullableTime = (ms: number): number | null => (Number.isNaN(ms) ? null : Math.round(ms));


/** A prepared insert of case row i of generated columns (version = 1 + steps already applied). */
function prepareCaseInsert(db: Database.Database) {
  const insert = db.prepare(
    `INSERT INTO dispute (id, type, source, severity, status, handling_level, resolved_level, outcome, grid_code, other_side_code,
                          lng, lat, reported_at, assigned_at, accepted_at, handled_at, feedback_at, reviewed_at, closed_at, due_at,
                          parties, cluster_id, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (events: DisputeColumns, i: number, gridCode: string, otherSideCode: string | null, version: number): void => {
    insert.run(
      events.id[i]!,
      events.typeIndex[i]!,
      events.sourceIndex[i]!,
      events.severityIndex[i]!,
      events.statusIndex[i]!,
      events.handlingLevelIndex[i]!,
      events.resolvedLevelIndex[i]! < 0 ? null : events.resolvedLevelIndex[i]!,
      events.outcomeIndex[i]! < 0 ? null : events.outcomeIndex[i]!,
      gridCode,
      otherSideCode,
      events.lng[i]!,
      events.lat[i]!,
      Math.round(events.reportedAtMs[i]!),
      nullableTime(events.assignedAtMs[i]!),
      nullableTime(events.acceptedAtMs[i]!),
      nullableTime(events.handledAtMs[i]!),
      nullableTime(events.feedbackAtMs[i]!),
      nullableTime(events.reviewedAtMs[i]!),
      nullableTime(events.closedAtMs[i]!),
      Math.round(events.dueAtMs[i]!),
      compactParties(events, i),
      events.clusterId[i]! === 0 ? null : events.clusterId[i]!,
      version,
    );
  };
}
