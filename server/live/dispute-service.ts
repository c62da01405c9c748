// The dispute workflow service, one per store: group-committed reports (reports arriving within a
// couple of milliseconds share one transaction, committed before any is acknowledged), transitions,
// the log tail that fans new entries out to live subscribers, the deadline policy, and escalation by
// rule of overdue cases on a timer.

import { parseDeadlinePolicy, type DeadlinePolicy } from '../domain/dispute-deadlines';
import { DISPUTE_SEVERITIES, type HandlingLevel } from '../domain/dispute-workflow';
import type { AtlasStore } from '../store/atlas-store';
import type { NewDispute, PlaceCodes, ReportResult, TransitionRequest, TransitionResult } from '../store/dispute-store';
import { DisputeLogTail } from './dispute-log-tail';
import { earliestEscalationHours, firingRule, parseEscalationRules, type EscalationRules } from './escalation-rules';

/** Cases one escalation chunk looks at (a few ms: one short transaction per escalated case); the next runs after pending I/O. */
const ESCALATION_CHUNK = 16;

/** Where the next escalation chunk starts (deadline, then id), or null at the start. */
type EscalationCursor = { dueAt: number; id: number } | null;
/** How often the escalation timer looks for overdue cases, ms. */
export const ESCALATION_INTERVAL_MS = 5 * 60_000;

/**
 * ATLAS_ESCALATION_EVERY_MS, checked: how often the escalation timer looks, a whole number of ms above 0
 * (default ESCALATION_INTERVAL_MS); anything else stops the server with a message saying so.
 */
export function escalationEveryMsFromEnv(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return ESCALATION_INTERVAL_MS;
  if (!/^\d+$/.test(text.trim()) || !(Number(text) > 0) || !Number.isSafeInteger(Number(text))) {
    throw new Error(`ATLAS_ESCALATION_EVERY_MS must be a whole number of milliseconds above 0, got "${text}"`);
  }
  return Number(text);
}

/** How long the first queued report waits for company before its transaction commits, ms. */
const GROUP_COMMIT_MS = 2;
/** A group this large commits at once. */
const MAX_GROUP = 512;

interface PendingReport {
  dispute: NewDispute & PlaceCodes;
  resolve: (result: ReportResult) => void;
  reject: (error: unknown) => void;
}

export class DisputeService {
  readonly tail: DisputeLogTail;
  /** Deadlines by type and handling level (ATLAS_SLA_DAYS), applied at report and at every new stage. */
  readonly deadlines: DeadlinePolicy;
  private pending: PendingReport[] = [];
  private flushScheduled = false;

  readonly escalationRules: EscalationRules;
  private escalationTimer: NodeJS.Timeout | null = null;
  private escalationRunning = false;

  constructor(
    readonly store: AtlasStore,
    deadlines: DeadlinePolicy = parseDeadlinePolicy(process.env.ATLAS_SLA_DAYS),
    escalationRules: EscalationRules = parseEscalationRules(process.env.ATLAS_ESCALATION_RULES),
  ) {
    this.deadlines = deadlines;
    this.escalationRules = escalationRules;
    this.tail = new DisputeLogTail(store.disputes);
  }

  /**
   * One chunk of escalation by rule at `nowMs`: of the cases in hand past their deadline after `after`
   * (deadline, then id; at most `chunk`), each whose rule fires (see firingRule) is escalated one level
   * as a step by the system, its note naming the rule; a case changed meanwhile (version) is left for the
   * next run. Returns the escalated ids and where the next chunk starts (null: none left).
   */
  escalateChunk(nowMs: number, after: EscalationCursor = null, chunk = ESCALATION_CHUNK): { escalated: number[]; next: EscalationCursor } {
    const earliest = earliestEscalationHours(this.escalationRules);
    if (earliest === null || !this.store.disputes.writable) return { escalated: [], next: null };
    const ruled = DISPUTE_SEVERITIES.flatMap((severity) => (Object.keys(this.escalationRules[severity]) as HandlingLevel[]).map((level) => ({ severity, level })));
    const candidates = this.store.disputes.escalationCandidates({ dueBeforeMs: nowMs - earliest * 3_600_000, ruled, after, limit: chunk });
    const escalated: number[] = [];
    for (const candidate of candidates) {
      const rule = firingRule(this.escalationRules, candidate, nowMs);
      if (!rule) continue;
      const result = this.store.disputes.transition({
        id: candidate.id,
        action: 'escalate',
        note: `超期自动升级（规则 ${rule.key}：超期 ${rule.hours} 小时）/ escalated by rule ${rule.key}: ${rule.hours} h overdue`,
        version: candidate.version,
        actorRole: 'system',
        at: nowMs,
        ruleKey: rule.key,
      }, this.deadlines);
      if (result.ok) escalated.push(candidate.id);
    }
    if (escalated.length > 0) this.notify();
    const last = candidates[candidates.length - 1];
    return { escalated, next: candidates.length === chunk && last ? { dueAt: last.dueAt, id: last.id } : null };
  }

  /**
   * Every chunk of escalation at `nowMs` in one go (tests, the command line); the escalated ids. A case
   * goes up at most one level per run (each chunk reads its cases before escalating them).
   */
  escalateOverdue(nowMs: number, chunkSize = ESCALATION_CHUNK): number[] {
    const escalated: number[] = [];
    let after: EscalationCursor = null;
    do {
      const chunk = this.escalateChunk(nowMs, after, chunkSize);
      escalated.push(...chunk.escalated);
      after = chunk.next;
    } while (after !== null);
    return escalated;
  }

  /**
   * Runs escalation every `intervalMs` (unref'd: it keeps no process alive), a chunk at a time with the
   * event loop free between chunks; a run still going when the next is due is not doubled.
   */
  startEscalation(intervalMs = ESCALATION_INTERVAL_MS, clock: () => number = Date.now, onError: (error: unknown) => void = () => {}): void {
    if (this.escalationTimer || earliestEscalationHours(this.escalationRules) === null) return;
    const run = (): void => {
      if (this.escalationRunning || !this.escalationTimer) return;
      this.escalationRunning = true;
      const now = clock();
      const step = (after: EscalationCursor): void => {
        try {
          const { next } = this.escalateChunk(now, after);
          if (next !== null && this.escalationTimer) {
            setImmediate(() => step(next));
            return;
          }
        } catch (error) {
          onError(error);
        }
        this.escalationRunning = false;
      };
      step(null);
    };
    this.escalationTimer = setInterval(run, intervalMs);
    this.escalationTimer.unref();
    setImmediate(run);
  }

  stopEscalation(): void {
    if (this.escalationTimer) clearInterval(this.escalationTimer);
    this.escalationTimer = null;
  }

  /**
   * Call after an import or undo replaced the data under the store (after store.refresh()): the log tail
   * follows the store's dispute log from its present and tells open streams to resync.
   */
  dataChanged(): void {
    this.tail.restart(this.store.disputes);
  }

  /** Call after anything appended to the dispute log (reports, transitions, the live feed). */
  notify(): void {
    this.tail.notify();
  }

  /**
   * Queues a report; resolves once it is committed. Reports arriving within GROUP_COMMIT_MS of the
   * first queued one share its transaction (one fsync), so throughput does not hang on disk latency.
   */
  report(dispute: NewDispute & PlaceCodes): Promise<ReportResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ dispute, resolve, reject });
      if (this.pending.length >= MAX_GROUP) {
        this.flush();
      } else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setTimeout(() => this.flush(), GROUP_COMMIT_MS);
      }
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    this.flushScheduled = false;
    if (batch.length === 0) return;
    try {
      const results = this.store.disputes.report(batch.map((item) => item.dispute));
      this.notify();
      batch.forEach((item, index) => item.resolve(results[index]!));
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }

  transition(request: TransitionRequest): TransitionResult {
    const result = this.store.disputes.transition(request, this.deadlines);
    if (result.ok) this.notify();
    return result;
  }
}

const services = new WeakMap<AtlasStore, DisputeService>();

/** The store's dispute service (created on first use). */
export function disputeServiceFor(store: AtlasStore): DisputeService {
  let service = services.get(store);
  if (!service) {
    service = new DisputeService(store);
    services.set(store, service);
  }
  return service;
}
