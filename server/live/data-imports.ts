// Imports through the running server: one at a time (a second is refused), each an uploaded file read by
// the importer in a thread of its own (a layer, or a department's grid layer beside the unified grids), its state and report kept for the client to poll; "undo last
// import"; and, after anything committed, the running server told to serve the new data.

import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/accounts';
import type { DeadlinePolicy } from '../domain/dispute-deadlines';
import { insideJurisdiction } from '../domain/access';
import { listImports, type ImportHistoryEntry } from '../ingest/import/history';
import type { ImportLayer } from '../ingest/import/import-types';
import { DEPARTMENT_GRIDS_LAYER, type HistoryLayer } from '../ingest/import/write';
import type { UploadStore } from '../http/uploads';
import type { ImportTaskInput, ImportTaskReport, UndoTaskResult } from '../jobs/import';
import type { PoolRunner } from '../pool/pool-runner';
import { RequestError } from '../request-error';

/** Finished jobs kept for polling. */
const KEPT_JOBS = 20;

export type ImportJobState = 'running' | 'done' | 'failed';

export interface ImportJob {
  jobId: string;
  /** The layer replaced: an import layer, or department-grids for a department's own grids. */
  layer: HistoryLayer;
  /** The department whose grid layer this is (layer department-grids), else null. */
  department: string | null;
  fileName: string;
  dryRun: boolean;
  state: ImportJobState;
  /**
   * The importer's report once done (a file it could not read: the report's fileError); a departmental
   * layer's (with its reconciliation) when `report.layer` is department-grids.
   */
  report: ImportTaskReport | null;
  /** Why the job failed (not a report: the thread or the database failed). */
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface ImportRequest {
  uploadId: string;
  layer: ImportLayer;
  crs?: string;
  encoding?: string;
  map?: Record<string, string>;
  dryRun: boolean;
  /** With layer grids: a department's own grid layer, imported beside the unified grids (checked name). */
  department?: string;
}

export interface DataImportsOptions {
  databasePath: string;
  uploads: UploadStore;
  pool: Pick<PoolRunner, 'runInOwnThread'>;
  /** Deadlines of imported cases (the dispute service's policy). */
  deadlines?: DeadlinePolicy;
  /** The deployment's root unit: only an administrator whose jurisdiction holds it imports. */
  deploymentCode: string;
  /**
   * Called after a committed import or an undo, with the layer replaced; null when another process
   * changed the data and the history does not say which layer (a rebuild): take everything as changed.
   */
  onDataChanged: (layer: HistoryLayer | null) => void;
  /** The audit log (never personal data in `detail`). */
  audit: (actor: string, action: string, target: string, detail: Record<string, unknown>) => void;
  log?: (message: string) => void;
}

/**
 * Refuses a principal who may not import: a layer is replaced for the whole deployment, so only an
 * administrator of the whole deployment may (a city's administrator would replace other cities' data).
 */
export function requireImporter(principal: Principal | null, deploymentCode: string): Principal {
  if (!principal) throw new RequestError('UNAUTHORIZED', 'log in first: imports are for administrators');
  if (principal.role !== 'admin' || principal.screenOnly) throw new RequestError('FORBIDDEN', `importing data is not open to the ${principal.role} role: administrators only`);
  if (!insideJurisdiction(deploymentCode, principal.jurisdiction)) {
    throw new RequestError(
      'FORBIDDEN',
      `an import replaces a layer for the whole deployment (${deploymentCode}): only an administrator of the whole deployment may import, yours is ${principal.jurisdiction}`,
    );
  }
  return principal;
}

/**
 * The layer whose import or undo left the data at `version`, by the history (newest first): an import in
 * effect that set it, or an undone one that put it back; null when none did (a rebuild, say).
 */
export function layerChangedTo(entries: readonly ImportHistoryEntry[], version: string): HistoryLayer | null {
  for (const entry of entries) {
    if (entry.undoneAt === null && entry.dataVersion === version) return entry.layer;
    if (entry.undoneAt !== null && entry.previousDataVersion === version) return entry.layer;
  }
  return null;
}

export class DataImports {
  private readonly jobs = new Map<string, ImportJob>();
  /** The import or undo running, if any. */
  private busy: Promise<unknown> | null = null;
  private readonly log: (message: string) => void;

  constructor(private readonly options: DataImportsOptions) {
    this.log = options.log ?? (() => {});
  }

  get deploymentCode(): string {
    return this.options.deploymentCode;
  }

  private requireIdle(): void {
    if (this.busy) throw new RequestError('CONFLICT', 'another import or undo is running: wait for it to finish (one at a time)');
  }

  /** Starts an import of an upload of `actor`'s; answers at once with the job to poll. */
  start(actor: string, request: ImportRequest): ImportJob {
    this.requireIdle();
    const upload = this.options.uploads.get(request.uploadId, actor);
    const department = request.department ?? null;
    if (department !== null && request.layer !== 'grids') throw new RequestError('BAD_REQUEST', `department: a department's own layer is a grids layer, not ${request.layer}`);
    const layer: HistoryLayer = department === null ? request.layer : DEPARTMENT_GRIDS_LAYER;
    const job: ImportJob = {
      jobId: randomUUID(),
      layer,
      department,
      fileName: upload.fileName,
      dryRun: request.dryRun,
      state: 'running',
      report: null,
      error: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    this.keep(job);
    const input: ImportTaskInput = {
      databasePath: this.options.databasePath,
      layer: request.layer,
      filePath: upload.path,
      fileName: upload.fileName,
      crs: request.crs,
      encoding: request.encoding,
      map: request.map,
      dryRun: request.dryRun,
      department: request.department,
      deadlines: this.options.deadlines,
    };
    const release = this.options.uploads.pin(upload.id);
    const run = (this.options.pool.runInOwnThread({ kind: 'import', input }) as Promise<ImportTaskReport>).then(
      (report) => {
        job.report = report;
        job.state = 'done';
        if (report.committed) {
          this.options.uploads.remove(upload.id);
          this.options.audit(actor, 'import-committed', `layer:${layer}`, {
            ...(department === null ? {} : { department }),
            importId: report.importId,
            fileSha256: report.fileSha256,
            features: report.accepted,
            dataVersion: report.dataVersion,
          });
          this.changed(layer);
        }
      },
      (error: unknown) => {
        job.state = 'failed';
        job.error = error instanceof Error ? error.message : String(error);
        this.log(`import ${job.jobId} failed: ${job.error}`);
      },
    );
    this.busy = run.finally(() => {
      release();
      job.finishedAt = new Date().toISOString();
      this.busy = null;
    });
    return { ...job };
  }

  /** A job's state (and report when done); NOT_FOUND for an unknown or forgotten one. */
  job(jobId: string): ImportJob {
    const job = this.jobs.get(jobId);
    if (!job) throw new RequestError('NOT_FOUND', `jobId: no import job ${jobId} (the last ${KEPT_JOBS} are kept)`);
    return { ...job };
  }

  /** Every import into the database, newest first. */
  history(): ImportHistoryEntry[] {
    return listImports(this.options.databasePath);
  }

  /** Undoes the last import not yet undone (in a thread); null when there is none. The caller audits it. */
  async undo(): Promise<ImportHistoryEntry | null> {
    this.requireIdle();
    const run = this.options.pool.runInOwnThread({ kind: 'undo-import', databasePath: this.options.databasePath }) as Promise<UndoTaskResult>;
    this.busy = run.catch(() => {}).finally(() => {
      this.busy = null;
    });
    const result = await run;
    if ('refused' in result) throw new RequestError('PRECONDITION_FAILED', result.refused);
    if (result.undone) this.changed(result.undone.layer);
    return result.undone;
  }

  /** Resolves when no import or undo is running. */
  async idle(): Promise<void> {
    while (this.busy) await this.busy;
  }

  /**
   * Serves data another process changed (`npm run cli -- import …`, `import undo`, a rebuild): every
   * `everyMs` (unref'd) the stored data version is compared with the served one, and a difference is
   * served as an import here is (onDataChanged with the layer the history names). Skipped while an
   * import or undo of this server runs (it serves its own change). Returns the stop function.
   */
  watchOtherProcesses(versions: { stored: () => string | null; served: () => string }, everyMs: number): () => void {
    const timer = setInterval(() => {
      if (this.busy) return;
      try {
        const stored = versions.stored();
        if (stored === null || stored === versions.served()) return;
        const layer = layerChangedTo(this.history(), stored);
        this.log(`another process changed the data (${layer === null ? 'not by an import' : `the ${layer} layer`}): serving data version ${stored}`);
        this.changed(layer);
      } catch (error) {
        this.log(`looking for data changed by another process failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private changed(layer: HistoryLayer | null): void {
    try {
      this.options.onDataChanged(layer);
    } catch (error) {
      this.log(`serving the new ${layer ?? ''} data failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private keep(job: ImportJob): void {
    this.jobs.set(job.jobId, job);
    for (const id of this.jobs.keys()) {
      if (this.jobs.size <= KEPT_JOBS) break;
      if (this.jobs.get(id)!.state !== 'running') this.jobs.delete(id);
    }
  }
}
