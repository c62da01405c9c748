// /plan/data (数据管理): where each layer's data comes from (demonstration, built-in real data, or an
// imported file: meta.health; the departments' own grid layers below), and for administrators an upload
// form (file, layer or a department's grids, coordinate system, encoding, column map, dry run) whose
// import is polled to its report (counts, the system used, the shift check, a department's
// reconciliation, every issue by feature number), "提交导入" after a clean dry run, and the import history
// with "撤销上次导入" behind a confirmation.

import { useId, useState, type FormEvent } from 'react';
import { TRPCClientError } from '@trpc/client';
import { DATA_LAYERS, type LayerProvenance } from '../../../../../server/domain/data-layers';
import type { Health, ImportHistoryEntry, ImportReport, ImportRequest } from '../../../api-types';
import { ModeHeader } from '../../../components/mode-header';
import { formatInteger } from '../../../format';
import { useImportHistory, useImportJob, useLayerSources, useStartImport, useUndoImport } from '../../../hooks/use-data-imports';
import { useMe } from '../../../hooks/use-me';
import type { DepartmentLayer } from '../../../api-types';
import { useDepartmentLayers } from '../../../hooks/use-reconcile';
import { useI18n, type Lang } from '../../../i18n';
import {
  CRS_CHOICES,
  DEPARTMENT_GRIDS,
  ENCODINGS,
  FORM_LAYERS,
  columnMapOf,
  crsOf,
  formatImportTime,
  importTargetOf,
  uploadFile,
  type CrsChoice,
  type FormLayer,
  type MapRow,
  type UploadAnswer,
} from './data-import';
import { DATA_TEXT, issueCodeLabel, layerLabel } from './data-text';
import { DepartmentSummary } from './department-summary';
import './data.css';

type Text = (typeof DATA_TEXT)[Lang];
/** What an import asks for besides the upload: the dry run's choices are the ones committed. */
type ImportChoices = Omit<ImportRequest, 'uploadId' | 'dryRun'>;

/** Issues shown in the table at most (the report's counts stay exact). */
const SHOWN_ISSUES = 200;

function messageOf(error: unknown): string {
  if (error instanceof TRPCClientError || error instanceof Error) return error.message;
  return String(error);
}

function LayerSources({ health, departments, text, lang }: { health: Health; departments: readonly DepartmentLayer[]; text: Text; lang: Lang }) {
  return (
    <table className="data-table data-layers">
      <thead>
        <tr>
          <th scope="col">{text.columns.layer}</th>
          <th scope="col">{text.columns.source}</th>
          <th scope="col">{text.columns.file}</th>
          <th scope="col">{text.columns.importedAt}</th>
          <th scope="col">{text.columns.features}</th>
        </tr>
      </thead>
      <tbody>
        {DATA_LAYERS.map((layer) => {
          const source = health.layers[layer];
          // Callers not logged in are told the kind of source only.
          const imported = 'fileName' in source ? (source as Extract<LayerProvenance, { source: 'imported' }>) : null;
          return (
            <tr key={layer} data-layer={layer} data-source={source.source}>
              <th scope="row">{layerLabel(layer, text)}</th>
              <td>
                <span className={`source-badge source-${source.source}`}>{text.sources[source.source]}</span>
              </td>
              <td>{imported?.fileName ?? '—'}</td>
              <td>{imported ? formatImportTime(imported.importedAt, lang) : '—'}</td>
              <td className="numeric">{imported ? formatInteger(imported.features, lang) : '—'}</td>
            </tr>
          );
        })}
        {departments.map((layer) => (
          <tr key={`department:${layer.department}`} data-layer={DEPARTMENT_GRIDS} data-department={layer.department} data-source="imported">
            <th scope="row">{text.departmentLayer(layer.department)}</th>
            <td>
              <span className="source-badge source-imported">{text.sources.imported}</span>
            </td>
            <td>{layer.fileName}</td>
            <td>{formatImportTime(layer.importedAt, lang)}</td>
            <td className="numeric">{formatInteger(layer.features, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ReportView({ report, text, lang, onCommit, committing }: { report: ImportReport; text: Text; lang: Lang; onCommit: () => void; committing: boolean }) {
  const clean = report.fileError === null && report.issueCounts.error === 0;
  const shown = report.issues.slice(0, SHOWN_ISSUES);
  return (
    <section className="data-report" aria-labelledby="data-report-title" data-committed={report.committed ? 'true' : 'false'} data-dry-run={report.dryRun ? 'true' : 'false'}>
      <h3 id="data-report-title">
        {text.reportTitle} · {report.file} → {layerLabel(report.layer, text)}
      </h3>
      {report.fileError !== null ? (
        <p className="data-error" role="alert">
          {text.fileError}：{report.fileError}
        </p>
      ) : (
        <>
          <p className="report-counts">{text.reportCounts(report.featuresRead, report.accepted, report.rejected)}</p>
          <p className="report-issue-counts">{text.issueCounts(report.issueCounts.error, report.issueCounts.warning, report.issueCounts.repaired)}</p>
          <dl className="report-facts">
            <dt>{text.format}</dt>
            <dd>{report.format ?? '—'}</dd>
            <dt>{text.crsUsed}</dt>
            <dd className="report-crs">{report.crs ? `${report.crs.used}（${text.crsSource[report.crs.source]}）` : '—'}</dd>
            {report.encoding && (
              <>
                <dt>{text.encodingUsed}</dt>
                <dd>{report.encoding.name}</dd>
              </>
            )}
            {report.shiftCheck && (
              <>
                <dt>{text.shiftCheck}</dt>
                <dd className={report.shiftCheck.shifted ? 'report-shift shifted' : 'report-shift'}>{text.shiftMessage?.(report.shiftCheck) ?? report.shiftCheck.message}</dd>
              </>
            )}
          </dl>
          {report.layer === DEPARTMENT_GRIDS && <DepartmentSummary report={report} text={text} lang={lang} />}
        </>
      )}
      <p className={`report-outcome ${report.committed ? 'ok' : clean ? 'clean' : 'bad'}`} role="status">
        {report.committed ? text.committed(report.importId ?? 0) : report.dryRun && clean ? text.dryRunClean : clean ? text.notCommitted : `${text.dryRunErrors} ${text.notCommitted}`}
      </p>
      {report.dryRun && clean && (
        <button type="button" className="data-commit" onClick={onCommit} disabled={committing}>
          {text.commit}
        </button>
      )}
      {shown.length > 0 && (
        <>
          <h4>{text.issuesTitle}</h4>
          {(report.issuesTruncated || report.issues.length > SHOWN_ISSUES) && <p className="report-note">{text.issuesTruncated(shown.length)}</p>}
          <table className="data-table data-issues">
            <thead>
              <tr>
                <th scope="col">{text.issueColumns.feature}</th>
                <th scope="col">{text.issueColumns.severity}</th>
                <th scope="col">{text.issueColumns.code}</th>
                <th scope="col">{text.issueColumns.message}</th>
                <th scope="col">{text.issueColumns.field}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((issue, index) => (
                <tr key={index} className={`issue-${issue.severity}`} data-code={issue.code}>
                  <td className="numeric">{issue.feature === 0 ? text.wholeFile : issue.feature}</td>
                  <td>{text.severities[issue.severity]}</td>
                  <td>{issueCodeLabel(issue.code, text)}</td>
                  <td>{issue.message}</td>
                  <td>{issue.field ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** An import's layer; a department's layer in effect with the department's name (its import is that layer's). */
function historyLayerLabel(entry: ImportHistoryEntry, departments: readonly DepartmentLayer[], text: Text): string {
  const department = entry.layer === DEPARTMENT_GRIDS ? departments.find((layer) => layer.importId === entry.id) : undefined;
  return department ? text.departmentLayer(department.department) : layerLabel(entry.layer, text);
}

function ImportHistory({ entries, departments, text, lang }: { entries: ImportHistoryEntry[]; departments: readonly DepartmentLayer[]; text: Text; lang: Lang }) {
  const undo = useUndoImport();
  const [confirming, setConfirming] = useState(false);
  const last = entries.find((entry) => entry.undoneAt === null) ?? null;
  return (
    <section className="data-history" aria-labelledby="data-history-title">
      <h2 id="data-history-title">{text.historyTitle}</h2>
      {entries.length === 0 ? (
        <p>{text.noHistory}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              {(['id', 'layer', 'file', 'crs', 'features', 'importedAt', 'state'] as const).map((key) => (
                <th key={key} scope="col">
                  {text.historyColumns[key]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} className="history-row" data-import={entry.id} data-undone={entry.undoneAt ? 'true' : 'false'}>
                <td className="numeric">{entry.id}</td>
                <td>{historyLayerLabel(entry, departments, text)}</td>
                <td>{entry.fileName}</td>
                <td>{entry.crs}</td>
                <td className="numeric">{formatInteger(entry.features, lang)}</td>
                <td>{formatImportTime(entry.importedAt, lang)}</td>
                <td>{entry.undoneAt ? text.undone(formatImportTime(entry.undoneAt, lang)) : entry.undoable ? text.active : text.activeNoUndo}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {last && !last.undoable && <p className="data-not-undoable">{text.notUndoable}</p>}
      {last?.undoable && !confirming && (
        <button type="button" className="data-undo" onClick={() => setConfirming(true)} disabled={undo.isPending}>
          {text.undo}
        </button>
      )}
      {last?.undoable && confirming && (
        <div className="data-confirm" role="alertdialog" aria-labelledby="data-confirm-text">
          <p id="data-confirm-text">{text.undoConfirm(historyLayerLabel(last, departments, text), last.fileName)}</p>
          <button
            type="button"
            className="data-confirm-undo"
            onClick={() => {
              setConfirming(false);
              undo.mutate(undefined);
            }}
          >
            {text.confirm}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {text.cancel}
          </button>
        </div>
      )}
      {undo.data && (
        <p className="data-undone" role="status">
          {text.undoneMessage(layerLabel(undo.data.undone.layer, text))}
        </p>
      )}
      {undo.error && (
        <p className="data-error" role="alert">
          {text.failed}
          {messageOf(undo.error)}
        </p>
      )}
    </section>
  );
}

function ImportForm({ text, lang, departments }: { text: Text; lang: Lang; departments: readonly DepartmentLayer[] }) {
  const ids = useId();
  const [file, setFile] = useState<File | null>(null);
  const [layer, setLayer] = useState<FormLayer>('facilities');
  const [department, setDepartment] = useState('');
  const [crsChoice, setCrsChoice] = useState<CrsChoice>('auto');
  const [epsgCode, setEpsgCode] = useState('');
  const [encoding, setEncoding] = useState('');
  const [mapRows, setMapRows] = useState<MapRow[]>([]);
  const [dryRun, setDryRun] = useState(true);
  const [uploadPercent, setUploadPercent] = useState<number | null>(null);
  const [upload, setUpload] = useState<{ answer: UploadAnswer; choices: ImportChoices } | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = useStartImport();
  const job = useImportJob(jobId);
  const running = uploadPercent !== null || start.isPending || job.data?.state === 'running' || (jobId !== null && !job.data && !job.error);

  const startImport = async (answer: UploadAnswer, choices: ImportChoices, asDryRun: boolean) => {
    const started = await start.mutateAsync({ uploadId: answer.uploadId, ...choices, dryRun: asDryRun });
    setJobId(started.jobId);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setError(text.chooseFile);
      return;
    }
    const target = importTargetOf(layer, department);
    if (!target) {
      setError(text.departmentRequired);
      return;
    }
    const choices: ImportChoices = { ...target, crs: crsOf(crsChoice, epsgCode), encoding: encoding || undefined, map: columnMapOf(mapRows) };
    setError(null);
    setJobId(null);
    try {
      setUploadPercent(0);
      const answer = await uploadFile(file, (fraction) => setUploadPercent(Math.round(fraction * 100)));
      setUploadPercent(null);
      setUpload({ answer, choices });
      await startImport(answer, choices, dryRun);
    } catch (caught) {
      setUploadPercent(null);
      setError(messageOf(caught));
    }
  };

  const onCommit = () => {
    if (!upload) return;
    setError(null);
    startImport(upload.answer, upload.choices, false).catch((caught: unknown) => setError(messageOf(caught)));
  };

  const report = job.data?.state === 'done' ? job.data.report : null;
  return (
    <section className="data-import" aria-labelledby="data-import-title">
      <h2 id="data-import-title">{text.uploadTitle}</h2>
      <form className="data-form" onSubmit={(event) => void onSubmit(event)}>
        <label htmlFor={`${ids}-file`}>{text.file}</label>
        <input id={`${ids}-file`} name="file" type="file" accept=".geojson,.json,.ndjson,.csv,.xlsx,.zip,.gpkg,.pbf" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
        <label htmlFor={`${ids}-layer`}>{text.layer}</label>
        <select id={`${ids}-layer`} name="layer" value={layer} onChange={(event) => setLayer(event.target.value as FormLayer)}>
          {FORM_LAYERS.map((key) => (
            <option key={key} value={key}>
              {layerLabel(key, text)}
            </option>
          ))}
        </select>
        {layer === DEPARTMENT_GRIDS && (
          <>
            <label htmlFor={`${ids}-department`}>{text.departmentName}</label>
            <span className="data-department">
              <input
                id={`${ids}-department`}
                name="department"
                required
                maxLength={40}
                list={`${ids}-departments`}
                aria-describedby={`${ids}-department-hint`}
                value={department}
                onChange={(event) => setDepartment(event.target.value)}
              />
              <datalist id={`${ids}-departments`}>
                {departments.map((entry) => (
                  <option key={entry.department} value={entry.department} />
                ))}
              </datalist>
              <span id={`${ids}-department-hint`} className="data-hint">
                {text.departmentHint}
              </span>
            </span>
          </>
        )}
        <label htmlFor={`${ids}-crs`}>{text.crs}</label>
        <span className="data-crs">
          <select id={`${ids}-crs`} name="crs" value={crsChoice} onChange={(event) => setCrsChoice(event.target.value as CrsChoice)}>
            {CRS_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {text.crsOptions[choice]}
              </option>
            ))}
          </select>
          {crsChoice === 'epsg' && <input name="epsg" aria-label={text.epsgCode} placeholder="4549" inputMode="numeric" value={epsgCode} onChange={(event) => setEpsgCode(event.target.value)} />}
        </span>
        <label htmlFor={`${ids}-encoding`}>{text.encoding}</label>
        <select id={`${ids}-encoding`} name="encoding" value={encoding} onChange={(event) => setEncoding(event.target.value)}>
          {ENCODINGS.map((name) => (
            <option key={name} value={name}>
              {name === '' ? text.encodingAuto : name.toUpperCase()}
            </option>
          ))}
        </select>
        <span className="data-label">{text.columnMap}</span>
        <fieldset className="data-map">
          <legend className="data-hint">{text.columnMapHint}</legend>
          {mapRows.map((row, index) => (
            <span key={index} className="data-map-row">
              <input aria-label={text.mapField} placeholder={text.mapField} value={row.field} onChange={(event) => setMapRows(mapRows.map((old, at) => (at === index ? { ...old, field: event.target.value } : old)))} />
              <span aria-hidden="true">←</span>
              <input aria-label={text.mapColumn} placeholder={text.mapColumn} value={row.column} onChange={(event) => setMapRows(mapRows.map((old, at) => (at === index ? { ...old, column: event.target.value } : old)))} />
              <button type="button" onClick={() => setMapRows(mapRows.filter((_, at) => at !== index))}>
                {text.removeMapRow}
              </button>
            </span>
          ))}
          <button type="button" onClick={() => setMapRows([...mapRows, { field: '', column: '' }])}>
            {text.addMapRow}
          </button>
        </fieldset>
        <span />
        <label className="data-dry-run">
          <input type="checkbox" name="dryRun" checked={dryRun} onChange={(event) => setDryRun(event.target.checked)} /> {text.dryRun}
        </label>
        <span />
        <button type="submit" className="data-start" disabled={running}>
          {text.start}
        </button>
      </form>
      {uploadPercent !== null && (
        <p className="data-progress" role="status">
          <progress max={100} value={uploadPercent} /> {text.uploading(uploadPercent)}
        </p>
      )}
      {uploadPercent === null && running && (
        <p className="data-progress" role="status">
          <progress /> {text.importing}
        </p>
      )}
      {error && (
        <p className="data-error" role="alert">
          {text.failed}
          {error}
        </p>
      )}
      {job.data?.state === 'failed' && (
        <p className="data-error" role="alert">
          {text.failed}
          {job.data.error}
        </p>
      )}
      {report && <ReportView report={report} text={text} lang={lang} onCommit={onCommit} committing={running} />}
    </section>
  );
}

export default function DataMode() {
  const { lang } = useI18n();
  const text = DATA_TEXT[lang];
  const me = useMe();
  const administers = me.data?.capabilities.administer ?? false;
  const health = useLayerSources();
  // The departments' own grid layers (多格合一), for those who may see the reconciliation.
  const departments = useDepartmentLayers(me.data?.capabilities.plan ?? false).data ?? [];
  const history = useImportHistory(administers);
  // An administrator of part of the deployment reads the server's refusal (imports replace a whole layer).
  const refusal = history.error instanceof TRPCClientError && (history.error.data as { code?: string } | undefined)?.code === 'FORBIDDEN' ? history.error.message : null;
  const canImport = administers && refusal === null;
  const ready = health.data !== undefined && me.data !== undefined && (!administers || history.data !== undefined || history.error !== null);
  return (
    <div className="mode-data theme-light" data-ready={ready ? 'true' : undefined}>
      <ModeHeader title={text.title} showNav />
      <main className="data-main">
        <section aria-labelledby="data-layers-title">
          <h2 id="data-layers-title">{text.layersTitle}</h2>
          {health.data ? <LayerSources health={health.data} departments={departments} text={text} lang={lang} /> : <p>{text.loading}</p>}
        </section>
        {me.data && !canImport && (
          <p className="data-note" role="note">
            {text.adminOnly}
            {refusal && <span className="data-refusal">（{refusal}）</span>}
          </p>
        )}
        {canImport && <ImportForm text={text} lang={lang} departments={departments} />}
        {canImport && history.data && <ImportHistory entries={history.data.entries} departments={departments} text={text} lang={lang} />}
        {canImport && history.error && (
          <p className="data-error" role="alert">
            {text.failed}
            {messageOf(history.error)}
          </p>
        )}
      </main>
    </div>
  );
}
