// DisputeStore on SQLite: keyset-paginated lists, grouped counts and KPI figures in SQL, place lookup
// by R*Tree + point-in-polygon, and writes in short transactions (a report batch commits once; a
// transition checks the version and the workflow inside its transaction). Every write appends to the
// step log, whose integer primary key is the global commit order the live stream follows.

import type Database from 'better-sqlite3';
import type { LineString, MultiLineString, MultiPolygon, Position } from 'geojson';
import { DISPUTE_OUTCOME_KEYS, DISPUTE_SOURCE_KEYS, DISPUTE_TYPE_KEYS, type DisputeType } from '../domain/dispute-categories';
import { maskFreeText, parseStoredParties, partiesFor, storedParties } from '../domain/parties';
import {
  DISPUTE_ACTIONS,
  DISPUTE_SEVERITIES,
  DISPUTE_STATUSES,
  HANDLING_LEVELS,
  HANDLING_UNIT_CODE_LENGTH,
  STEP_ACTIONS,
  applyTransition,
  type DisputeSeverity,
  type DisputeStatus,
  type HandlingLevel,
} from '../domain/dispute-workflow';
import { CHINA_UTC_OFFSET_MS, MS_PER_DAY, chinaDayNumber } from '../domain/china-time';
import { DEFAULT_DEADLINE_POLICY, computeDueMs, startsNewStage, type DeadlinePolicy } from '../domain/dispute-deadlines';
import { pointInRing } from '../analysis/geo/planar-partition';
import { otherSideCodes, sideAcross, type BoundarySides } from '../analysis/geo/nearest-line';
import { createLocalProjection } from '../analysis/geo/local-projection';
import { FULL_DETAIL_BAND } from '../domain/zoom-bands';
import { DISPUTE_ACTOR_ROLE_KEYS } from '../domain/dispute-categories';
import type {
  DisputeHistoryBatch,
  DisputeListQuery,
  DisputeLogEntry,
  DisputeLogScope,
  DisputePeriodFigures,
  DisputeQueueQuery,
  DisputeRecord,
  DisputeStatsQuery,
  DisputeStepRecord,
  DisputeStore,
  EscalationCandidate,
  EscalationQuery,
  HistoryCase,
  LoadQuery,
  HistoryStep,
  NewDispute,
  OpenCaseState,
  PlaceCodes,
  QueuedDispute,
  ReportResult,
  TransitionRequest,
  TransitionResult,
} from './dispute-store';
import { OTHER_SIDE_REACH_METERS } from './dispute-store';
import { STAGE_COLUMN, STEP_ACTION_REPORT } from './dispute-rows';

interface DisputeRow {
  id: number;
  type: number;
  source: number;
  severity: number;
  status: number;
  handling_level: number;
  resolved_level: number | null;
  outcome: number | null;
  grid_code: string;
  other_side_code: string | null;
  lng: number;
  lat: number;
  summary: string | null;
  reported_at: number;
  assigned_at: number | null;
  accepted_at: number | null;
  handled_at: number | null;
  feedback_at: number | null;
  reviewed_at: number | null;
  closed_at: number | null;
  due_at: number;
  parties: string;
  cluster_id: number | null;
  version: number;
  /** Absent in a read-only database built before handler units (see the constructor). */
  handler_unit?: string | null;
  joint_unit?: string | null;
}

interface StepRow {
  seq: number;
  dispute_id: number;
  step: number;
  action: number;
  from_status: number | null;
  to_status: number;
  at: number;
  handling_level: number;
  actor_role: number;
  note: string | null;
  handler_unit?: string | null;
  joint_unit?: string | null;
}


function toRecord(row: DisputeRow): DisputeRecord {
  return {
    id: row.id,
    type: DISPUTE_TYPE_KEYS[row.type]!,
    source: DISPUTE_SOURCE_KEYS[row.source]!,
    severity: DISPUTE_SEVERITIES[row.severity]!,
    status: DISPUTE_STATUSES[row.status]!,
    handlingLevel: HANDLING_LEVELS[row.handling_level]!,
    resolvedLevel: row.resolved_level === null ? null : HANDLING_LEVELS[row.resolved_level]!,
    outcome: row.outcome === null ? null : DISPUTE_OUTCOME_KEYS[row.outcome]!,
    placeCode: row.grid_code,
    otherSideCode: row.other_side_code,
    lngLat: [row.lng, row.lat],
    summary: row.summary,
    reportedAt: row.reported_at,
    assignedAt: row.assigned_at,
    acceptedAt: row.accepted_at,
    handledAt: row.handled_at,
    feedbackAt: row.feedback_at,
    reviewedAt: row.reviewed_at,
    closedAt: row.closed_at,
    dueAt: row.due_at,
    parties: parseStoredParties(row.parties),
    clusterId: row.cluster_id,
    version: row.version,
    handlerUnit: row.handler_unit ?? null,
    jointUnit: row.joint_unit ?? null,
  };
}

function toStep(row: StepRow): DisputeStepRecord {
  return {
    seq: row.seq,
    disputeId: row.dispute_id,
    step: row.step,
    action: STEP_ACTIONS[row.action]!,
    fromStatus: row.from_status === null ? null : DISPUTE_STATUSES[row.from_status]!,
    toStatus: DISPUTE_STATUSES[row.to_status]!,
    at: row.at,
    handlingLevel: HANDLING_LEVELS[row.handling_level]!,
    actorRole: DISPUTE_ACTOR_ROLE_KEYS[row.actor_role] ?? 'unknown',
    note: row.note,
    handlerUnit: row.handler_unit ?? null,
    jointUnit: row.joint_unit ?? null,
  };
}

/** Bounds of the codes that start with `prefix` ('~' sorts after every digit). */
function prefixRange(prefix: string | undefined) {
  return prefix === undefined ? { within: null, withinEnd: null } : { within: prefix, withinEnd: `${prefix}~` };
}

/**
 * A unit placing at least this share of all cases (the province, a city, a large district) has a page
 * of its visible cases found sooner along the time index (about page size / share entries) than by
 * sorting all its cases; a smaller one (most counties, every street) the other way round.
 */
const TIME_WALK_SHARE = 0.01;

const json = (values: readonly unknown[] | undefined): string | null => (values && values.length > 0 ? JSON.stringify(values) : null);

const CLOSED_CODE = DISPUTE_STATUSES.indexOf('closed');
/** Statuses of a case in hand at its handling unit: assigned, accepted, handled. */
const IN_HAND_CODES = (['assigned', 'accepted', 'handled'] as const).map((status) => DISPUTE_STATUSES.indexOf(status)).join(', ');

/**
 * The handler columns of a case as a step sets them: a chosen handler (assign, reopen) replaces them;
 * an escalation moves a chosen unit up to the unit holding it at the new level (a joint unit that then
 * coincides with the handler's is dropped); other steps keep them. SQLite reads the old row on the right.
 */
const HANDLER_SET = `handler_unit = CASE WHEN @setHandler THEN @handlerUnit
                                     WHEN @escalating AND handler_unit IS NOT NULL THEN substr(handler_unit, 1, @unitLength)
                                     ELSE handler_unit END,
     joint_unit = CASE WHEN @setHandler THEN @jointUnit
                       WHEN @escalating AND joint_unit IS NOT NULL THEN
                         CASE WHEN substr(joint_unit, 1, @unitLength) = substr(coalesce(handler_unit, grid_code), 1, @unitLength) THEN NULL
                              ELSE substr(joint_unit, 1, @unitLength) END
                       ELSE joint_unit END`;

/**
 * The schema additions a writable open makes to a database built before them (SQLite's ADD COLUMN
 * keeps every row; existing cases get NULL: no unit chosen). Each runs only when its column is missing.
 */
const HANDLER_COLUMNS: readonly { table: string; column: string }[] = [
  { table: 'dispute', column: 'handler_unit' },
  { table: 'dispute', column: 'joint_unit' },
  { table: 'dispute_step', column: 'handler_unit' },
  { table: 'dispute_step', column: 'joint_unit' },
];

/** The filters of a queue and its counts: open, visible in @visible, and the optional filters. */
const QUEUE_FILTERS = `d.status <> ${CLOSED_CODE}
  AND ((d.grid_code >= @visible AND d.grid_code < @visibleEnd) OR (d.other_side_code >= @visible AND d.other_side_code < @visibleEnd))
  AND (@types IS NULL OR d.type IN (SELECT value FROM json_each(@types)))
  AND (@sources IS NULL OR d.source IN (SELECT value FROM json_each(@sources)))
  AND (@levels IS NULL OR d.handling_level IN (SELECT value FROM json_each(@levels)))
  AND (@place IS NULL OR (d.grid_code >= @place AND d.grid_code < @placeEnd))
  AND (@lineA IS NULL OR (d.grid_code >= @lineA AND d.grid_code < @lineAEnd AND d.other_side_code = @lineB)
                      OR (d.grid_code >= @lineB AND d.grid_code < @lineBEnd AND d.other_side_code = @lineA))`;

/** The parameters of HANDLER_SET for a step of `action` that leaves the case at `level`. */
function handlerParams(action: string, level: HandlingLevel, handler: TransitionRequest['handler']) {
  return {
    setHandler: handler ? 1 : 0,
    handlerUnit: handler?.unit ?? null,
    jointUnit: handler?.jointUnit ?? null,
    escalating: action === 'escalate' ? 1 : 0,
    unitLength: HANDLING_UNIT_CODE_LENGTH[level],
  };
}

function containsPoint(geometry: MultiPolygon, point: Position): boolean {
  for (const polygon of geometry.coordinates) {
    if (!pointInRing(point, polygon[0]!)) continue;
    if (polygon.slice(1).some((hole) => pointInRing(point, hole))) continue;
    return true;
  }
  return false;
}

export class SqliteDisputeStore implements DisputeStore {
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    readonly writable: boolean,
  ) {
    // Idempotency keys of reports, one per (reporter, key), created on the first writable open so that
    // databases built before it gain it; they survive restarts with the cases they name.
    if (writable) {
      db.exec(`CREATE TABLE IF NOT EXISTS dispute_report_key (
                 reporter   TEXT NOT NULL,     -- the audit log's actor name
                 key        TEXT NOT NULL,     -- the caller's idempotency key
                 body_hash  TEXT NOT NULL,     -- digest of the report's body
                 dispute_id INTEGER NOT NULL REFERENCES dispute (id),
                 seq        INTEGER NOT NULL,  -- the report step's log seq (the first answer's)
                 PRIMARY KEY (reporter, key)
               ) WITHOUT ROWID`);
      // Open cases by place and by the other side, deadline order: a desk's queue reads only these.
      db.exec(`CREATE INDEX IF NOT EXISTS dispute_open_place ON dispute (grid_code, due_at, id) WHERE status <> ${CLOSED_CODE};
               CREATE INDEX IF NOT EXISTS dispute_open_other_side ON dispute (other_side_code, due_at, id)
                 WHERE status <> ${CLOSED_CODE} AND other_side_code IS NOT NULL;`);
      // The unit chosen to handle a case (and the other side's for joint mediation), on cases and steps;
      // added in one transaction to a database built before them.
      db.transaction(() => {
        for (const { table, column } of HANDLER_COLUMNS) {
          const columns = db.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[];
          if (!columns.includes(column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} TEXT`);
        }
      })();
      db.exec(`CREATE INDEX IF NOT EXISTS dispute_open_handler ON dispute (handler_unit, handling_level)
                 WHERE status <> ${CLOSED_CODE} AND handler_unit IS NOT NULL;
               CREATE INDEX IF NOT EXISTS dispute_joint ON dispute (joint_unit, handling_level) WHERE joint_unit IS NOT NULL;
               CREATE INDEX IF NOT EXISTS dispute_open_due ON dispute (due_at, id) WHERE status <> ${CLOSED_CODE};
               -- Escalation rules that fired, once per case and rule (the rule key names severity and level).
               CREATE TABLE IF NOT EXISTS dispute_escalation (
                 dispute_id INTEGER NOT NULL REFERENCES dispute (id),
                 rule_key   TEXT NOT NULL,
                 at         INTEGER NOT NULL,   -- ms since epoch
                 PRIMARY KEY (dispute_id, rule_key)
               ) WITHOUT ROWID;`);
    }
    this.hasHandlerColumns = (db.prepare(`SELECT count(*) FROM pragma_table_info('dispute') WHERE name = 'handler_unit'`).pluck().get() as number) === 1;
    this.hasEscalations = (db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'dispute_escalation'`).pluck().get() as number) === 1;
    const openIndexed = (this.openIndexed = (db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('dispute_open_place', 'dispute_open_other_side')`).pluck().get() as number) === 2);
    // Open cases visible in @visible, read through the open-case indexes (two range scans, the second
    // without the cases the first has) where they exist; the whole table otherwise (a read-only database).
    this.openVisible = openIndexed
      ? `(SELECT * FROM dispute INDEXED BY dispute_open_place
           WHERE status <> ${CLOSED_CODE} AND grid_code >= @visible AND grid_code < @visibleEnd
          UNION ALL
          SELECT * FROM dispute INDEXED BY dispute_open_other_side
           WHERE status <> ${CLOSED_CODE} AND other_side_code >= @visible AND other_side_code < @visibleEnd
             AND NOT (grid_code >= @visible AND grid_code < @visibleEnd))`
      : 'dispute';
    const where = `(@within IS NULL OR (grid_code >= @within AND grid_code < @withinEnd))
                   AND reported_at >= @fromMs AND reported_at < @toMs`;
    const listFilters = `(@within IS NULL OR (grid_code >= @within AND grid_code < @withinEnd))
           AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
           AND (@types IS NULL OR type IN (SELECT value FROM json_each(@types)))
           AND (@fromMs IS NULL OR reported_at >= @fromMs) AND (@toMs IS NULL OR reported_at < @toMs)
           AND (@afterAt IS NULL OR reported_at < @afterAt OR (reported_at = @afterAt AND id < @afterId))`;
    this.statements = {
      list: db.prepare(
        `SELECT * FROM dispute
         WHERE ${listFilters}
         ORDER BY reported_at DESC, id DESC LIMIT @limit`,
      ),
      // Visible in a unit: placed inside it, or across a boundary line from it. Two range scans, each on
      // its own index (the place's; the other side's, without the cases the first already has), each
      // ordered newest first and cut at the page size; their merge cut again, then the page's rows read.
      // The work is the unit's cases (index entries only, unless statuses or types are asked for).
      listVisible: db.prepare(
        `WITH page AS (
           SELECT id, reported_at FROM (
             SELECT id, reported_at FROM dispute INDEXED BY dispute_grid_time
             WHERE grid_code >= @visible AND grid_code < @visibleEnd AND ${listFilters}
             ORDER BY reported_at DESC, id DESC LIMIT @limit)
           UNION ALL
           SELECT id, reported_at FROM (
             SELECT id, reported_at FROM dispute INDEXED BY dispute_other_side
             WHERE other_side_code >= @visible AND other_side_code < @visibleEnd
               AND NOT (grid_code >= @visible AND grid_code < @visibleEnd) AND ${listFilters}
             ORDER BY reported_at DESC, id DESC LIMIT @limit)
           ORDER BY reported_at DESC, id DESC LIMIT @limit)
         SELECT d.* FROM page JOIN dispute d ON d.id = page.id ORDER BY page.reported_at DESC, page.id DESC`,
      ),
      // Whether a unit places at least @sample cases (reads at most that many index entries).
      placedAtLeast: db
        .prepare(
          `SELECT count(*) >= @sample FROM (SELECT 1 FROM dispute INDEXED BY dispute_grid_time
           WHERE grid_code >= @visible AND grid_code < @visibleEnd LIMIT @sample)`,
        )
        .pluck(),
      maxId: db.prepare('SELECT coalesce(max(id), 0) FROM dispute').pluck(),
      // The same for a unit holding a large share of all cases (a city, the province): newest first
      // along the time index from the cursor, until a page of visible cases is found. @before is the one
      // upper bound the index seeks to: the period's end or just past the cursor, whichever is earlier
      // (times are whole ms; the exact conditions are the filters').
      listVisibleByTime: db.prepare(
        `SELECT * FROM dispute INDEXED BY dispute_time
         WHERE reported_at >= coalesce(@fromMs, -1e18) AND reported_at < @before
           AND ((grid_code >= @visible AND grid_code < @visibleEnd) OR (other_side_code >= @visible AND other_side_code < @visibleEnd))
           AND ${listFilters}
         ORDER BY reported_at DESC, id DESC LIMIT @limit`,
      ),
      get: db.prepare('SELECT * FROM dispute WHERE id = ?'),
      history: db.prepare('SELECT * FROM dispute_step WHERE dispute_id = ? ORDER BY step, seq'),
      // Overdue (isOverdue): closed after the deadline, or open past it at @asOf. The deadline is the stored
      // one of the case's last stage (see dispute-deadlines.ts), as the desk and the wall read it.
      figures: db.prepare(
        `SELECT count(*) AS reported,
                coalesce(sum(closed_at IS NOT NULL AND closed_at <= @asOf), 0) AS closed,
                coalesce(sum(closed_at IS NOT NULL AND closed_at <= @asOf AND resolved_level = 0), 0) AS in_grid,
                coalesce(sum(closed_at IS NOT NULL AND closed_at <= @asOf AND resolved_level <= 2), 0) AS within_street,
                coalesce(sum(CASE WHEN closed_at IS NOT NULL AND closed_at <= @asOf
                                  THEN closed_at > due_at
                                  ELSE @asOf > due_at END), 0) AS overdue
         FROM dispute WHERE ${where}`,
      ),
      durations: db.prepare(
        `SELECT closed_at - reported_at AS ms FROM dispute
         WHERE ${where} AND closed_at IS NOT NULL AND closed_at <= @asOf ORDER BY ms`,
      ),
      maxSeq: db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM dispute_step'),
      // The upper bound on seq is not a filter: without it the planner builds a Bloom filter over the
      // whole dispute table (tens of ms) for what is usually a handful of rows.
      logAfter: db.prepare(
        `SELECT s.*, d.grid_code, d.other_side_code, d.lng, d.lat, d.type, d.severity, d.source, d.due_at, coalesce(g.name, u.name) AS place_name
         FROM dispute_step s JOIN dispute d ON d.id = s.dispute_id
         LEFT JOIN grid g ON g.code = d.grid_code LEFT JOIN admin_unit u ON u.code = d.grid_code
         WHERE s.seq > @seq AND s.seq <= @seq + 1000000000000
           AND (@within IS NULL OR (d.grid_code >= @within AND d.grid_code < @withinEnd)
                OR (@otherSide AND d.other_side_code >= @within AND d.other_side_code < @withinEnd))
         ORDER BY s.seq LIMIT @limit`,
      ),
      // Street boundary lines whose box comes within the reach of a place (the box grown by the reach).
      streetLinesNear: db.prepare(
        `SELECT l.id, l.left_code, l.right_code FROM boundary_rtree r JOIN boundary_line l ON l.id = r.id
         WHERE r.min_lng <= @maxLng AND r.max_lng >= @minLng AND r.min_lat <= @maxLat AND r.max_lat >= @minLat
           AND l.level = 'street' AND l.right_code IS NOT NULL
         ORDER BY l.id`,
      ),
      lineGeometry: db.prepare(`SELECT geojson FROM boundary_geometry WHERE line_id = ? AND band = ${FULL_DETAIL_BAND}`).pluck(),
      gridsAt: db.prepare(
        `SELECT g.code, g.geojson FROM grid_rtree r JOIN grid g ON g.id = r.id
         WHERE r.min_lng <= @lng AND r.max_lng >= @lng AND r.min_lat <= @lat AND r.max_lat >= @lat`,
      ),
      unitsAt: db.prepare(
        `SELECT u.code, u.level, g.geojson FROM admin_rtree r JOIN admin_unit u ON u.id = r.id
         JOIN admin_geometry g ON g.unit_id = u.id AND g.band = 3
         WHERE r.min_lng <= @lng AND r.max_lng >= @lng AND r.min_lat <= @lat AND r.max_lat >= @lat
           AND u.level IN ('county', 'street', 'community')`,
      ),
    };
  }

  /** Whether the open-case indexes exist (a read-only database built before them has none). */
  private readonly openIndexed: boolean;
  /** Whether the database has the handler columns (a read-only one built before them has not). */
  private readonly hasHandlerColumns: boolean;
  private readonly hasEscalations: boolean;

  /** The share of all cases from which a visible list walks the time index (TIME_WALK_SHARE; tests set 0 or Infinity to force a way). */
  timeWalkShare = TIME_WALK_SHARE;

  list(query: DisputeListQuery): DisputeRecord[] {
    const visible = query.visibleIn === undefined ? undefined : { visible: query.visibleIn, visibleEnd: `${query.visibleIn}~` };
    const statement = !visible
      ? this.statements.list
      : this.statements.placedAtLeast.get({
            ...visible,
            sample: Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, Math.ceil((this.statements.maxId.get() as number) * this.timeWalkShare))),
          })
        ? this.statements.listVisibleByTime
        : this.statements.listVisible;
    const before = Math.min(query.toMs ?? 1e18, query.after ? Math.floor(query.after.reportedAt) + 1 : 1e18);
    const rows = statement.all({
      ...prefixRange(query.withinCode),
      ...(visible ? { ...visible, before } : {}),
      statuses: json(query.statuses?.map((status) => DISPUTE_STATUSES.indexOf(status))),
      types: json(query.types?.map((type) => DISPUTE_TYPE_KEYS.indexOf(type))),
      fromMs: query.fromMs ?? null,
      toMs: query.toMs ?? null,
      afterAt: query.after?.reportedAt ?? null,
      afterId: query.after?.id ?? null,
      limit: query.limit,
    }) as DisputeRow[];
    return rows.map(toRecord);
  }

  /** The row source of queues (see the constructor). */
  private readonly openVisible: string;

  private queueParams(query: Omit<DisputeQueueQuery, 'statuses' | 'overdueAt' | 'after' | 'limit'>) {
    return {
      visible: query.visibleIn,
      visibleEnd: `${query.visibleIn}~`,
      types: json(query.types?.map((type) => DISPUTE_TYPE_KEYS.indexOf(type))),
      sources: json(query.sources?.map((source) => DISPUTE_SOURCE_KEYS.indexOf(source))),
      levels: json(query.levels?.map((level) => HANDLING_LEVELS.indexOf(level))),
      place: query.placeCode ?? null,
      placeEnd: query.placeCode === undefined ? null : `${query.placeCode}~`,
      lineA: query.acrossLine?.[0] ?? null,
      lineAEnd: query.acrossLine ? `${query.acrossLine[0]}~` : null,
      lineB: query.acrossLine?.[1] ?? null,
      lineBEnd: query.acrossLine ? `${query.acrossLine[1]}~` : null,
    };
  }

  queue(query: DisputeQueueQuery): QueuedDispute[] {
    const rows = this.db
      .prepare(
        `SELECT d.*, coalesce(g.name, u.name) AS place_name,
                (SELECT s.action FROM dispute_step s WHERE s.dispute_id = d.id ORDER BY s.step DESC, s.seq DESC LIMIT 1) AS last_action
         FROM ${this.openVisible} d
         LEFT JOIN grid g ON g.code = d.grid_code LEFT JOIN admin_unit u ON u.code = d.grid_code
         WHERE ${QUEUE_FILTERS}
           AND (@statuses IS NULL OR d.status IN (SELECT value FROM json_each(@statuses)))
           AND (@overdueAt IS NULL OR d.due_at < @overdueAt)
           AND (@afterDue IS NULL OR d.due_at > @afterDue OR (d.due_at = @afterDue AND d.id > @afterId))
         ORDER BY d.due_at, d.id LIMIT @limit`,
      )
      .all({
        ...this.queueParams(query),
        statuses: json(query.statuses?.map((status) => DISPUTE_STATUSES.indexOf(status))),
        overdueAt: query.overdueAt ?? null,
        afterDue: query.after?.dueAt ?? null,
        afterId: query.after?.id ?? null,
        limit: query.limit,
      }) as (DisputeRow & { place_name: string | null; last_action: number | null })[];
    return rows.map((row) => ({ ...toRecord(row), placeName: row.place_name, lastAction: STEP_ACTIONS[row.last_action ?? 0] ?? 'report' }));
  }

  queueCounts(query: Omit<DisputeQueueQuery, 'statuses' | 'overdueAt' | 'after' | 'limit'>, nowMs: number): { byStatus: Record<DisputeStatus, number>; overdue: number } {
    const rows = this.db
      .prepare(`SELECT d.status AS status, count(*) AS n, sum(d.due_at < @now) AS overdue FROM ${this.openVisible} d WHERE ${QUEUE_FILTERS} GROUP BY d.status`)
      .all({ ...this.queueParams(query), now: nowMs }) as { status: number; n: number; overdue: number }[];
    const byStatus = Object.fromEntries(DISPUTE_STATUSES.map((status) => [status, 0])) as Record<DisputeStatus, number>;
    let overdue = 0;
    for (const row of rows) {
      byStatus[DISPUTE_STATUSES[row.status]!] = row.n;
      overdue += row.overdue;
    }
    return { byStatus, overdue };
  }

  get(id: number): { dispute: DisputeRecord; history: DisputeStepRecord[] } | null {
    const row = this.statements.get.get(id) as DisputeRow | undefined;
    if (!row) return null;
    return { dispute: toRecord(row), history: (this.statements.history.all(id) as StepRow[]).map(toStep) };
  }

  stats(query: DisputeStatsQuery, asOfMs: number): { key: string; count: number }[] {
    const params = { ...prefixRange(query.withinCode), fromMs: query.fromMs, toMs: query.toMs };
    const grouped = (expression: string, extraWhere = ''): { k: string | number; n: number }[] =>
      this.db
        .prepare(
          `SELECT ${expression} AS k, count(*) AS n FROM dispute
           WHERE (@within IS NULL OR (grid_code >= @within AND grid_code < @withinEnd))
             AND reported_at >= @fromMs AND reported_at < @toMs ${extraWhere}
           GROUP BY k ORDER BY k`,
        )
        .all({ ...params, asOf: asOfMs }) as { k: string | number; n: number }[];
    const byList = (column: string, keys: readonly string[]) => {
      const rows = grouped(column);
      return keys.map((key, code) => ({ key, count: rows.find((row) => row.k === code)?.n ?? 0 }));
    };
    switch (query.groupBy) {
      case 'type':
        return byList('type', DISPUTE_TYPE_KEYS);
      case 'source':
        return byList('source', DISPUTE_SOURCE_KEYS);
      case 'status':
        return byList('status', DISPUTE_STATUSES);
      case 'level': {
        // Where closed cases were resolved (小事不出格、大事不出网).
        const rows = grouped('resolved_level', 'AND closed_at IS NOT NULL AND closed_at <= @asOf');
        return HANDLING_LEVELS.map((key, code) => ({ key, count: rows.find((row) => row.k === code)?.n ?? 0 }));
      }
      case 'day':
      case 'week':
      case 'month': {
        // Calendar buckets in China time; every bucket of the period appears, empty ones with 0.
                const keyOfDay = (day: number): string => {
          const date = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
          if (query.groupBy === 'day') return date;
          if (query.groupBy === 'month') return date.slice(0, 7);
          // ISO weeks start on Monday; day 0 (1970-01-01) was a Thursday.
          const monday = day - ((day + 3) % 7);
          return new Date(monday * MS_PER_DAY).toISOString().slice(0, 10);
        };
        const counts = new Map<string, number>();
        for (let day = chinaDayNumber(query.fromMs); day <= chinaDayNumber(query.toMs - 1); day++) counts.set(keyOfDay(day), 0);
        const rows = grouped(`(reported_at + ${CHINA_UTC_OFFSET_MS}) / ${MS_PER_DAY}`);
        for (const row of rows) {
          const key = keyOfDay(Number(row.k));
          counts.set(key, (counts.get(key) ?? 0) + row.n);
        }
        return [...counts].map(([key, count]) => ({ key, count }));
      }
      case 'unit': {
        const length = query.unitCodeLength ?? query.withinCode.length + 2;
        const counts = new Map(grouped(`substr(grid_code, 1, ${length})`).map((row) => [String(row.k), row.n]));
        // Joint mediation: a case also counts for the unit of the other side's joint unit (when that is
        // a unit of this grouping, inside `within`, and not the case's own), so groups may sum to more
        // than the cases reported.
        if (this.hasHandlerColumns) {
          const joint = this.db
            .prepare(
              `SELECT substr(joint_unit, 1, ${length}) AS k, count(*) AS n FROM dispute
               WHERE joint_unit IS NOT NULL AND length(joint_unit) >= ${length} AND joint_unit >= @within AND joint_unit < @withinEnd
                 AND substr(joint_unit, 1, ${length}) <> substr(grid_code, 1, ${length})
                 AND reported_at >= @fromMs AND reported_at < @toMs
               GROUP BY k`,
            )
            .all(params) as { k: string; n: number }[];
          for (const row of joint) counts.set(row.k, (counts.get(row.k) ?? 0) + row.n);
        }
        return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, count]) => ({ key, count }));
      }
    }
  }

  periodFigures(
    query: { withinCode: string; fromMs: number; toMs: number },
    asOfMs: number,
  ): DisputePeriodFigures {
    const params = { ...prefixRange(query.withinCode), fromMs: query.fromMs, toMs: query.toMs, asOf: asOfMs };
    const row = this.statements.figures.get(params) as {
      reported: number;
      closed: number;
      in_grid: number;
      within_street: number;
      overdue: number;
    };
    const durations = (this.statements.durations.raw().all(params) as [number][]).map(([ms]) => ms);
    return {
      reported: row.reported,
      closed: row.closed,
      resolvedInGrid: row.in_grid,
      resolvedWithinStreet: row.within_street,
      handlingMs: Float64Array.from(durations),
      overdue: row.overdue,
    };
  }

  /** Parsed polygons by row key, kept for the next lookups (places cluster: the same grids come back). */
  private readonly polygonCache = new Map<string, MultiPolygon>();

  private polygonOf(key: string, geojson: string): MultiPolygon {
    let polygon = this.polygonCache.get(key);
    if (!polygon) {
      if (this.polygonCache.size > 20_000) this.polygonCache.clear();
      polygon = JSON.parse(geojson) as MultiPolygon;
      this.polygonCache.set(key, polygon);
    }
    return polygon;
  }

  locate([lng, lat]: [number, number]): PlaceCodes | null {
    const point: Position = [lng, lat];
    // A grid holds the place: its code says everything (every admin code is a prefix of it).
    for (const row of this.statements.gridsAt.all({ lng, lat }) as { code: string; geojson: string }[]) {
      if (containsPoint(this.polygonOf(`grid:${row.code}`, row.geojson), point)) {
        return { placeCode: row.code, countyCode: row.code.slice(0, 6), otherSideCode: this.otherSideAt([lng, lat], row.code) };
      }
    }
    const units = (this.statements.unitsAt.all({ lng, lat }) as { code: string; level: string; geojson: string }[]).filter((row) =>
      containsPoint(this.polygonOf(`unit:${row.code}`, row.geojson), point),
    );
    const county = units.find((unit) => unit.level === 'county');
    if (!county) return null;
    const finest = units.reduce((best, unit) => (unit.code.length > best.length ? unit.code : best), county.code);
    return { placeCode: finest, countyCode: county.code, otherSideCode: this.otherSideAt([lng, lat], finest) };
  }

  /** Parsed full-detail geometry of boundary lines by row id, kept for the next lookups. */
  private readonly lineCache = new Map<number, LineString | MultiLineString>();

  private lineGeometryOf(id: number): LineString | MultiLineString {
    let geometry = this.lineCache.get(id);
    if (!geometry) {
      if (this.lineCache.size > 5_000) this.lineCache.clear();
      geometry = JSON.parse(this.statements.lineGeometry.get(id) as string) as LineString | MultiLineString;
      this.lineCache.set(id, geometry);
    }
    return geometry;
  }

  otherSideAt([lng, lat]: [number, number], placeCode: string): string | null {
    const projection = createLocalProjection(lng, lat);
    // The reach in degrees, with a margin for the projection's curvature over it.
    const dLng = (OTHER_SIDE_REACH_METERS * 1.01) / projection.metersPerDegreeLng;
    const dLat = (OTHER_SIDE_REACH_METERS * 1.01) / projection.metersPerDegreeLat;
    const near = this.statements.streetLinesNear.all({ minLng: lng - dLng, maxLng: lng + dLng, minLat: lat - dLat, maxLat: lat + dLat }) as {
      id: number;
      left_code: string;
      right_code: string;
    }[];
    const lines: BoundarySides[] = near
      .filter((row) => sideAcross(placeCode, row.left_code, row.right_code) !== null)
      .map((row) => ({ leftCode: row.left_code, rightCode: row.right_code, geometry: this.lineGeometryOf(row.id) }));
    return lines.length === 0 ? null : (otherSideCodes(lines, [lng, lat], [placeCode], OTHER_SIDE_REACH_METERS)[0] ?? null);
  }

  private requireWritable(): void {
    if (!this.writable) throw new Error('the store was opened read-only');
  }

  report(disputes: readonly (NewDispute & PlaceCodes)[]): ReportResult[] {
    this.requireWritable();
    const findKey = this.db.prepare(
      `SELECT k.body_hash, k.dispute_id, k.seq, d.grid_code FROM dispute_report_key k JOIN dispute d ON d.id = k.dispute_id
       WHERE k.reporter = ? AND k.key = ?`,
    );
    const insertKey = this.db.prepare('INSERT INTO dispute_report_key (reporter, key, body_hash, dispute_id, seq) VALUES (?, ?, ?, ?, ?)');
    const insertCase = this.db.prepare(
      `INSERT INTO dispute (type, source, severity, status, handling_level, grid_code, other_side_code, lng, lat, summary, reported_at, due_at, parties, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    );
    const insertStep = this.db.prepare(
      `INSERT INTO dispute_step (dispute_id, step, action, from_status, to_status, at, handling_level, actor_role, note)
       VALUES (?, 0, ?, NULL, ?, ?, 0, ?, NULL)`,
    );
    const reported = DISPUTE_STATUSES.indexOf('reported');
    return this.db.transaction(() =>
      disputes.map((dispute): ReportResult => {
        const reportKey = dispute.reportKey;
        if (reportKey) {
          const known = findKey.get(reportKey.reporter, reportKey.key) as { body_hash: string; dispute_id: number; seq: number; grid_code: string } | undefined;
          if (known) {
            return known.body_hash === reportKey.bodyHash
              ? { kind: 'replay', id: known.dispute_id, seq: known.seq, placeCode: known.grid_code }
              : { kind: 'key-conflict', id: known.dispute_id };
          }
        }
        const id = Number(
          insertCase.run(
            DISPUTE_TYPE_KEYS.indexOf(dispute.type),
            DISPUTE_SOURCE_KEYS.indexOf(dispute.source),
            DISPUTE_SEVERITIES.indexOf(dispute.severity),
            reported,
            0,
            dispute.placeCode,
            // A caller that located the place elsewhere may not have looked across the lines.
            (dispute.otherSideCode as string | null | undefined) === undefined ? this.otherSideAt(dispute.lngLat, dispute.placeCode) : dispute.otherSideCode,
            dispute.lngLat[0],
            dispute.lngLat[1],
            dispute.summary,
            dispute.reportedAt,
            dispute.dueAt,
            storedParties(dispute.parties),
          ).lastInsertRowid,
        );
        const role = Math.max(0, DISPUTE_ACTOR_ROLE_KEYS.indexOf(dispute.actorRole as never));
        const seq = Number(insertStep.run(id, STEP_ACTION_REPORT, reported, dispute.reportedAt, role).lastInsertRowid);
        if (reportKey) insertKey.run(reportKey.reporter, reportKey.key, reportKey.bodyHash, id, seq);
        return { kind: 'new', id, seq, placeCode: dispute.placeCode };
      }),
    )();
  }

  /** Statements of transitions, prepared on first use (the UPDATE varies with the stage column it sets). */
  private readonly transitionStatements = new Map<string, Database.Statement>();

  private statementOf(sql: string): Database.Statement {
    let statement = this.transitionStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.transitionStatements.set(sql, statement);
    }
    return statement;
  }

  transition(request: TransitionRequest, deadlines: DeadlinePolicy): TransitionResult {
    this.requireWritable();
    if (request.action === 'close' && request.outcome === undefined) throw new Error(`close needs an outcome (case ${request.id})`);
    return this.db.transaction((): TransitionResult => {
      const row = this.statements.get.get(request.id) as DisputeRow | undefined;
      if (!row) return { ok: false, reason: 'not-found' };
      if (row.version !== request.version) return { ok: false, reason: 'conflict', currentVersion: row.version };
      const status = DISPUTE_STATUSES[row.status]!;
      const handlingLevel = HANDLING_LEVELS[row.handling_level]!;
      const next = applyTransition({ status, handlingLevel }, request.action);
      if (!next) return { ok: false, reason: 'illegal', status, handlingLevel };
      if (request.handler && request.action !== 'assign' && request.action !== 'reopen') throw new Error(`only assign and reopen choose a handler (case ${request.id})`);
      // A rule fires once per case: a second firing (another tick, another process) writes nothing.
      if (request.ruleKey !== undefined) {
        const fresh = this.statementOf('INSERT OR IGNORE INTO dispute_escalation (dispute_id, rule_key, at) VALUES (?, ?, ?)').run(request.id, request.ruleKey, request.at).changes;
        if (fresh === 0) return { ok: false, reason: 'rule-fired' };
      }
      const toStatus = DISPUTE_STATUSES.indexOf(next.status);
      const level = HANDLING_LEVELS.indexOf(request.handler?.level ?? next.handlingLevel);
      const closing = next.status === 'closed';
      const reopening = request.action === 'reopen';
      const stage = closing ? undefined : STAGE_COLUMN[next.status];
      const toLevel = HANDLING_LEVELS[level]!;
      const dueAt = startsNewStage(handlingLevel, toLevel, reopening)
        ? computeDueMs(request.at, { type: DISPUTE_TYPE_KEYS[row.type]!, severity: DISPUTE_SEVERITIES[row.severity]!, handlingLevel: toLevel }, deadlines)
        : null;
      this
        .statementOf(
          `UPDATE dispute SET status = @status, handling_level = @level, version = version + 1, due_at = coalesce(@dueAt, due_at),
             ${stage ? `${stage} = coalesce(${stage}, @at),` : ''}
             closed_at = CASE WHEN @closing THEN @at WHEN @reopening THEN NULL ELSE closed_at END,
             resolved_level = CASE WHEN @closing THEN @level WHEN @reopening THEN NULL ELSE resolved_level END,
             outcome = CASE WHEN @closing THEN @outcome WHEN @reopening THEN NULL ELSE outcome END,
             ${HANDLER_SET}
           WHERE id = @id AND version = @version`,
        )
        .run({
          id: request.id,
          version: request.version,
          status: toStatus,
          level,
          at: request.at,
          closing: closing ? 1 : 0,
          reopening: reopening ? 1 : 0,
          outcome: closing ? DISPUTE_OUTCOME_KEYS.indexOf(request.outcome!) : null,
          dueAt,
          ...handlerParams(request.action, next.handlingLevel, request.handler),
        });
      const stepNumber = (this.statementOf('SELECT coalesce(max(step), 0) + 1 AS n FROM dispute_step WHERE dispute_id = ?').get(request.id) as {
        n: number;
      }).n;
      const role = Math.max(0, DISPUTE_ACTOR_ROLE_KEYS.indexOf(request.actorRole as never));
      const units = this.statementOf('SELECT handler_unit, joint_unit FROM dispute WHERE id = ?').get(request.id) as { handler_unit: string | null; joint_unit: string | null };
      const seq = Number(
        this
          .statementOf(
            `INSERT INTO dispute_step (dispute_id, step, action, from_status, to_status, at, handling_level, actor_role, note, handler_unit, joint_unit)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(request.id, stepNumber, DISPUTE_ACTIONS.indexOf(request.action) + 1, row.status, toStatus, request.at, level, role, request.note, units.handler_unit, units.joint_unit)
          .lastInsertRowid,
      );
      const updated = toRecord(this.statements.get.get(request.id) as DisputeRow);
      const step = toStep(this.statementOf('SELECT * FROM dispute_step WHERE seq = ?').get(seq) as StepRow);
      return { ok: true, dispute: updated, step };
    })();
  }

  appendHistory(
    batch: DisputeHistoryBatch,
    meta: Readonly<Record<string, unknown>> = {},
    deadlines: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
  ): { ids: number[]; lastSeq: number } {
    this.requireWritable();
    const insertCase = this.db.prepare(
      `INSERT INTO dispute (type, source, severity, status, handling_level, grid_code, other_side_code, lng, lat, summary, reported_at, due_at, parties, cluster_id, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    );
    const insertStep = this.db.prepare(
      `INSERT INTO dispute_step (dispute_id, step, action, from_status, to_status, at, handling_level, actor_role, note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const readState = this.db.prepare(
      'SELECT type, severity, status, handling_level, (SELECT coalesce(max(step), 0) FROM dispute_step WHERE dispute_id = d.id) AS steps FROM dispute d WHERE id = ?',
    );
    const writeMeta = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const reported = DISPUTE_STATUSES.indexOf('reported');
    return this.db.transaction(() => {
      const ids: number[] = [];
      const idByKey = new Map<number, number>();
      /** Where each touched case stands, kept while the batch is applied. */
      const states = new Map<number, { type: DisputeType; severity: DisputeSeverity; status: DisputeStatus; handlingLevel: HandlingLevel; steps: number }>();
      let lastSeq = this.lastSeq();
      const appendReport = (entry: HistoryCase): void => {
        const level = entry.handlingLevel ?? 'grid';
        const id = Number(
          insertCase.run(
            DISPUTE_TYPE_KEYS.indexOf(entry.type),
            DISPUTE_SOURCE_KEYS.indexOf(entry.source),
            DISPUTE_SEVERITIES.indexOf(entry.severity),
            reported,
            HANDLING_LEVELS.indexOf(level),
            entry.placeCode,
            entry.otherSideCode === undefined ? this.otherSideAt(entry.lngLat, entry.placeCode) : entry.otherSideCode,
            entry.lngLat[0],
            entry.lngLat[1],
            entry.summary,
            Math.round(entry.reportedAt),
            Math.round(entry.dueAt),
            storedParties(entry.parties),
            entry.clusterId ?? null,
          ).lastInsertRowid,
        );
        ids.push(id);
        idByKey.set(entry.key, id);
        states.set(id, { type: entry.type, severity: entry.severity, status: 'reported', handlingLevel: level, steps: 0 });
        const role = Math.max(0, DISPUTE_ACTOR_ROLE_KEYS.indexOf(entry.actorRole as never));
        lastSeq = Number(insertStep.run(id, 0, STEP_ACTION_REPORT, null, reported, Math.round(entry.reportedAt), HANDLING_LEVELS.indexOf(level), role, null).lastInsertRowid);
      };
      const appendStep = (entry: HistoryStep, index: number): void => {
        const id = entry.caseId ?? (entry.caseKey === undefined ? undefined : idByKey.get(entry.caseKey));
        if (id === undefined) throw new Error(`steps.${index}: names no case of the batch or the store`);
        let state = states.get(id);
        if (!state) {
          const row = readState.get(id) as { type: number; severity: number; status: number; handling_level: number; steps: number } | undefined;
          if (!row) throw new Error(`steps.${index}: no dispute ${id}`);
          state = {
            type: DISPUTE_TYPE_KEYS[row.type]!,
            severity: DISPUTE_SEVERITIES[row.severity]!,
            status: DISPUTE_STATUSES[row.status]!,
            handlingLevel: HANDLING_LEVELS[row.handling_level]!,
            steps: row.steps,
          };
          states.set(id, state);
        }
        const next = applyTransition(state, entry.action);
        if (!next) throw new Error(`steps.${index}: cannot ${entry.action} case ${id}, which is ${state.status} at ${state.handlingLevel} level`);
        if (entry.action === 'close' && entry.outcome === undefined) throw new Error(`steps.${index}: close needs an outcome (case ${id})`);
        const handlingLevel = entry.handlingLevel ?? next.handlingLevel;
        const closing = next.status === 'closed';
        const at = Math.round(entry.at);
        this.updateFor(closing ? undefined : STAGE_COLUMN[next.status]).run({
          id,
          status: DISPUTE_STATUSES.indexOf(next.status),
          level: HANDLING_LEVELS.indexOf(handlingLevel),
          at,
          closing: closing ? 1 : 0,
          reopening: entry.action === 'reopen' ? 1 : 0,
          outcome: closing ? DISPUTE_OUTCOME_KEYS.indexOf(entry.outcome!) : null,
          dueAt: startsNewStage(state.handlingLevel, handlingLevel, entry.action === 'reopen')
            ? computeDueMs(at, { type: state.type, severity: state.severity, handlingLevel }, deadlines)
            : null,
          ...handlerParams(entry.action, handlingLevel, undefined),
        });
        const role = Math.max(0, DISPUTE_ACTOR_ROLE_KEYS.indexOf(entry.actorRole as never));
        state.steps += 1;
        lastSeq = Number(
          insertStep.run(id, state.steps, DISPUTE_ACTIONS.indexOf(entry.action) + 1, DISPUTE_STATUSES.indexOf(state.status), DISPUTE_STATUSES.indexOf(next.status), at, HANDLING_LEVELS.indexOf(handlingLevel), role, entry.note)
            .lastInsertRowid,
        );
        state.status = next.status;
        state.handlingLevel = handlingLevel;
      };
      // Reports and steps merged by time (a report first when they tie, so its own steps can follow).
      let c = 0;
      let k = 0;
      while (c < batch.cases.length || k < batch.steps.length) {
        if (k >= batch.steps.length || (c < batch.cases.length && batch.cases[c]!.reportedAt <= batch.steps[k]!.at)) appendReport(batch.cases[c++]!);
        else appendStep(batch.steps[k]!, k++);
      }
      for (const [key, value] of Object.entries(meta)) writeMeta.run(key, JSON.stringify(value));
      return { ids, lastSeq };
    })();
  }

  /** One UPDATE per timestamp column a step can set, prepared on first use. */
  private readonly updates = new Map<string, Database.Statement>();

  private updateFor(stage: string | undefined): Database.Statement {
    const key = stage ?? '';
    let statement = this.updates.get(key);
    if (!statement) {
      statement = this.db.prepare(
        `UPDATE dispute SET status = @status, handling_level = @level, version = version + 1, due_at = coalesce(@dueAt, due_at),
           ${stage ? `${stage} = coalesce(${stage}, @at),` : ''}
           closed_at = CASE WHEN @closing THEN @at WHEN @reopening THEN NULL ELSE closed_at END,
           resolved_level = CASE WHEN @closing THEN @level WHEN @reopening THEN NULL ELSE resolved_level END,
           outcome = CASE WHEN @closing THEN @outcome WHEN @reopening THEN NULL ELSE outcome END,
           ${HANDLER_SET}
         WHERE id = @id`,
      );
      this.updates.set(key, statement);
    }
    return statement;
  }

  openCases(): OpenCaseState[] {
    const rows = this.db
      .prepare(
        `SELECT d.id, d.status, d.handling_level, d.severity, d.type, d.source, d.reported_at,
                (SELECT max(s.step) FROM dispute_step s WHERE s.dispute_id = d.id) AS step_count,
                (SELECT max(s.at) FROM dispute_step s WHERE s.dispute_id = d.id) AS last_at
         FROM dispute d WHERE d.status <> ? ORDER BY d.id`,
      )
      .all(DISPUTE_STATUSES.indexOf('closed')) as {
      id: number;
      status: number;
      handling_level: number;
      severity: number;
      type: number;
      source: number;
      reported_at: number;
      step_count: number | null;
      last_at: number | null;
    }[];
    return rows.map((row) => ({
      id: row.id,
      type: DISPUTE_TYPE_KEYS[row.type]!,
      source: DISPUTE_SOURCE_KEYS[row.source]!,
      severity: DISPUTE_SEVERITIES[row.severity]!,
      status: DISPUTE_STATUSES[row.status]!,
      handlingLevel: HANDLING_LEVELS[row.handling_level]!,
      reportedAt: row.reported_at,
      lastStepAt: row.last_at ?? row.reported_at,
      stepCount: row.step_count ?? 0,
    }));
  }

  openLoad(units: readonly LoadQuery[], visibleIn: string): number[] {
    const visible = `((grid_code >= @visible AND grid_code < @visibleEnd) OR (other_side_code >= @visible AND other_side_code < @visibleEnd))`;
    const inHand = `status <> ${CLOSED_CODE} AND status IN (${IN_HAND_CODES}) AND handling_level = @level AND ${visible}`;
    // Three disjoint counts, each on its own index: placed inside the unit with no unit chosen, chosen
    // as handler, chosen as the joint unit (a case's handler and joint units differ).
    const placed = this.db
      .prepare(
        `SELECT count(*) FROM dispute ${this.openIndexed ? 'INDEXED BY dispute_open_place' : ''} WHERE grid_code >= @unit AND grid_code < @unitEnd AND ${inHand}
           ${this.hasHandlerColumns ? 'AND handler_unit IS NULL' : ''}`,
      )
      .pluck();
    const chosen = this.hasHandlerColumns
      ? this.db.prepare(`SELECT (SELECT count(*) FROM dispute WHERE handler_unit = @unit AND ${inHand}) + (SELECT count(*) FROM dispute WHERE joint_unit IS NOT NULL AND joint_unit = @unit AND ${inHand})`).pluck()
      : null;
    return units.map(({ unitCode, level }) => {
      const params = { unit: unitCode, unitEnd: `${unitCode}~`, level: HANDLING_LEVELS.indexOf(level), visible: visibleIn, visibleEnd: `${visibleIn}~` };
      return (placed.get(params) as number) + (chosen ? (chosen.get(params) as number) : 0);
    });
  }

  escalationCandidates(query: EscalationQuery): EscalationCandidate[] {
    // Along the open-deadline index from the cursor: each chunk reads about its own rows, a whole run
    // about the overdue open cases once.
    const rows = this.db
      .prepare(
        `SELECT d.id, d.severity, d.handling_level, d.due_at, d.version,
                ${this.hasEscalations ? '(SELECT group_concat(rule_key, char(10)) FROM dispute_escalation e WHERE e.dispute_id = d.id)' : 'NULL'} AS fired
         FROM dispute d ${this.writable ? 'INDEXED BY dispute_open_due' : ''} WHERE d.status <> ${CLOSED_CODE} AND d.due_at <= @before
           AND (@afterDue IS NULL OR d.due_at > @afterDue OR (d.due_at = @afterDue AND d.id > @afterId))
           AND d.status IN (${IN_HAND_CODES})
           AND d.severity * 8 + d.handling_level IN (SELECT value FROM json_each(@pairs))
         ORDER BY d.due_at, d.id LIMIT @limit`,
      )
      .all({
        before: query.dueBeforeMs,
        afterDue: query.after?.dueAt ?? null,
        afterId: query.after?.id ?? null,
        pairs: JSON.stringify(query.ruled.map(({ severity, level }) => DISPUTE_SEVERITIES.indexOf(severity) * 8 + HANDLING_LEVELS.indexOf(level))),
        limit: query.limit,
      }) as { id: number; severity: number; handling_level: number; due_at: number; version: number; fired: string | null }[];
    return rows.map((row) => ({
      id: row.id,
      severity: DISPUTE_SEVERITIES[row.severity]!,
      handlingLevel: HANDLING_LEVELS[row.handling_level]!,
      dueAt: row.due_at,
      version: row.version,
      firedRules: row.fired === null ? [] : row.fired.split('\n'),
    }));
  }

  reachedFeedback(query: { withinCode: string; fromMs: number; toMs: number }): DisputeRecord[] {
    // feedback_at is set the first time a case reaches feedback, which reviewed and closed come after.
    const rows = this.db
      .prepare(
        `SELECT * FROM dispute WHERE grid_code >= @within AND grid_code < @withinEnd
           AND coalesce(feedback_at, reviewed_at, closed_at) >= @fromMs AND coalesce(feedback_at, reviewed_at, closed_at) < @toMs
         ORDER BY id`,
      )
      .all({ ...prefixRange(query.withinCode), fromMs: query.fromMs, toMs: query.toMs }) as DisputeRow[];
    return rows.map(toRecord);
  }

  maxId(): number {
    return this.statements.maxId.get() as number;
  }

  logAfter(seq: number, limit: number, scope?: DisputeLogScope): DisputeLogEntry[] {
    const otherSide = typeof scope === 'object';
    const rows = this.statements.logAfter.all({ seq, limit, ...prefixRange(otherSide ? scope.visibleIn : scope), otherSide: otherSide ? 1 : 0 }) as (StepRow & {
      grid_code: string;
      other_side_code: string | null;
      lng: number;
      lat: number;
      type: number;
      severity: number;
      source: number;
      due_at: number;
      place_name: string | null;
    })[];
    return rows.map((row) => ({
      ...toStep(row),
      placeCode: row.grid_code,
      placeName: row.place_name,
      otherSideCode: row.other_side_code,
      lngLat: [row.lng, row.lat],
      type: DISPUTE_TYPE_KEYS[row.type]!,
      source: DISPUTE_SOURCE_KEYS[row.source]!,
      severity: DISPUTE_SEVERITIES[row.severity]!,
      dueAt: row.due_at,
    }));
  }

  lastSeq(): number {
    return (this.statements.maxSeq.get() as { seq: number }).seq;
  }

  redactClosedBefore(closedBeforeMs: number, limit: number, nowMs = Date.now()): number {
    const rows = this.db
      .prepare(
        `SELECT id, parties, summary FROM dispute INDEXED BY dispute_unredacted_closed
         WHERE closed_at IS NOT NULL AND redacted_at IS NULL AND closed_at <= ? ORDER BY closed_at, id LIMIT ?`,
      )
      .all(closedBeforeMs, limit) as { id: number; parties: string; summary: string | null }[];
    if (rows.length === 0) return 0;
    const updateCase = this.db.prepare('UPDATE dispute SET parties = ?, summary = ?, redacted_at = ? WHERE id = ?');
    const notes = this.db.prepare('SELECT step, note FROM dispute_step WHERE dispute_id = ? AND note IS NOT NULL');
    const updateNote = this.db.prepare('UPDATE dispute_step SET note = ? WHERE dispute_id = ? AND step = ?');
    this.db.transaction(() => {
      for (const row of rows) {
        const parties = parseStoredParties(row.parties);
        const names = parties.map((party) => party.name);
        updateCase.run(storedParties(partiesFor(parties, false)), row.summary === null ? null : maskFreeText(row.summary, names), nowMs, row.id);
        for (const step of notes.all(row.id) as { step: number; note: string }[]) updateNote.run(maskFreeText(step.note, names), row.id, step.step);
      }
    })();
    return rows.length;
  }
}
