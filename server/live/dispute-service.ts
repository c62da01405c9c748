// The dispute workflow service, one per store: group-committed reports (reports arriving within a
// couple of milliseconds share one transaction, committed before any is acknowledged), transitions,
// the log tail that fans new entries out to live subscribers, and the SLA configuration.

import { DEFAULT_SLA_DAYS, DISPUTE_SEVERITIES, type DisputeSeverity } from '../domain/dispute-workflow';
import type { AtlasStore } from '../store/atlas-store';
import type { NewDispute, PlaceCodes, ReportResult, TransitionRequest, TransitionResult } from '../store/dispute-store';
import { DisputeLogTail } from './dispute-log-tail';

/** "general=15,major=7,critical=3" → deadlines in days per severity (missing ones keep their default). */
export function parseSlaDays(text: string | undefined): Readonly<Record<DisputeSeverity, number>> {
  const sla: Record<DisputeSeverity, number> = { ...DEFAULT_SLA_DAYS };
  if (!text) return sla;
  for (const part of text.split(',')) {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (!DISPUTE_SEVERITIES.includes(key as DisputeSeverity)) throw new Error(`ATLAS_SLA_DAYS: unknown severity "${key}"`);
    const days = Number(value);
    if (!(days > 0)) throw new Error(`ATLAS_SLA_DAYS: ${key} needs a positive number of days, got "${value}"`);
    sla[key as DisputeSeverity] = days;
  }
  return sla;
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
  readonly slaDays: Readonly<Record<DisputeSeverity, number>>;
  private pending: PendingReport[] = [];
  private flushScheduled = false;

  constructor(
    readonly store: AtlasStore,
    slaDays: Readonly<Record<DisputeSeverity, number>> = parseSlaDays(process.env.ATLAS_SLA_DAYS),
  ) {
    this.slaDays = slaDays;
    this.tail = new DisputeLogTail(store.disputes);
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
    const result = this.store.disputes.transition(request);
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
