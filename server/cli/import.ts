// `npm run cli -- import <layer> <file>`: bring a layer of your own data into the atlas database (see
// server/ingest/import/); `import history` lists the imports, `import undo` undoes the last one.

import { parseArgs } from 'node:util';
import { paths } from '../paths';
import { parseCrsOption } from '../ingest/import/crs';
import { importLayer, type ImportReport } from '../ingest/import/import-layer';
import { listImports, undoLastImport } from '../ingest/import/history';
import { IMPORT_LAYERS, WRITABLE_IMPORT_LAYERS, type ImportLayer } from '../ingest/import/import-types';
import { importDepartmentGrids, type DepartmentGridImportReport } from '../ingest/import/department-grids';
import { reconcileWorkbook } from '../ingest/import/reconcile-xlsx';
import { parseDeadlinePolicy } from '../domain/dispute-deadlines';
import { CliInputError, checkOutputPath, parseNumberText, writeOutputText } from './cli-input';

export const usage = `Usage: npm run cli -- import <layer> <file> [--crs wgs84|gcj02|bd09|EPSG:nnnn] [--encoding gbk]
                                   [--map field=column …] [--dry-run] [--report out.json] [--db FILE]
       npm run cli -- import grids <file> --department NAME [--crs …] [--encoding …] [--map …] [--dry-run]
                                   [--report out.json] [--xlsx out.xlsx] [--sliver-m2 N] [--sliver-share S]
       npm run cli -- import history [--db FILE]
       npm run cli -- import undo [--db FILE]

Replaces one layer of the atlas database with a file's features, whole or not at all: every feature is
validated first and any error leaves the database as it was. Layers: ${IMPORT_LAYERS.join(', ')}
(importable now: ${WRITABLE_IMPORT_LAYERS.join(', ')}).
Files: GeoJSON (.geojson), newline-delimited GeoJSON (.ndjson), a zipped Shapefile (.zip with .shp, .shx,
.dbf, .prj, .cpg), GeoPackage (.gpkg), CSV and XLSX with lng/lat or WKT columns. A facility table with the
header kind,name,lng,lat (and optional capacity,openingHours,standardised,unitCode) needs no mapping.
A dispute ledger (disputes) has one case a row: id (the case number), type, source, reported_at, lng,lat;
optional severity, handling_level, status, outcome (required when closed), summary, parties ("name phone;
…" or JSON) and the step times assigned_at, accepted_at, handled_at, feedback_at, reviewed_at, closed_at.
Codes by key or Chinese label (邻里纠纷, 网格巡查 …); times ISO 8601, "2026-10-01 08:30" (China time) or
Excel dates. It replaces every case; parties and summaries never appear in the report. Deadlines follow
the deployment's ATLAS_SLA_DAYS, as the server's do.
  --crs S          the coordinates' system: wgs84, cgcs2000, gcj02, bd09 or EPSG:nnnn (4326, 4490, the
                   CGCS2000 Gauss-Kruger zones 4491–4554); default: the file's .prj / GeoPackage srs, else WGS84
  --encoding E     attribute encoding of a Shapefile or CSV (gbk, gb18030, utf-8); default: the .cpg, else detected
  --map F=C        read field F from column C (repeatable), e.g. --map lng=X --map name=名称
  --dry-run        validate and report only; the database is not written
  --report FILE    write the full report (every issue with its feature number) as JSON
  --db FILE        database file (default ${paths.databasePath})
With --department, a department's own grids (多格合一: 安全生产, 市场监管 …; a code and a name per polygon)
are imported beside the unified grids, replacing only that department's previous layer, and reconciled
with them: per unified grid the overlapping department grids, shares and best match (IoU), department
grids crossing community or street borders, slivers, and areas either side leaves uncovered.
  --xlsx FILE      write the reconciliation as a workbook (概要, 逐格对照, 跨界, 碎片, 未覆盖)
  --sliver-m2 N    an overlap piece under N m² is a sliver (default 200)…
  --sliver-share S …or under this share of its unified grid (default 0.01)
Exit code 0 only when the import committed (or a dry run found no error).`;

/** --map field=column pairs → field → column; throws naming a malformed pair. */
export function parseColumnMap(pairs: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new Error(`--map must be field=column, got "${pair}"`);
    map[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return map;
}

/** The report's summary for the terminal: counts, then the first issues. */
function describeReport(report: ImportReport): string {
  const lines = [
    `${report.dryRun ? 'Dry run' : 'Import'} of ${report.file} into ${report.layer}: ${report.featuresRead} features read, ${report.accepted} accepted, ${report.rejected} rejected` +
      ` (${report.format ?? '?'}, ${report.crs?.used ?? '?'}${report.encoding ? `, ${report.encoding.name}` : ''})`,
    `errors ${report.issueCounts.error}, warnings ${report.issueCounts.warning}, repaired ${report.issueCounts.repaired}`,
  ];
  if (report.shiftCheck) lines.push(`coordinate check: ${report.shiftCheck.message}`);
  for (const issue of report.issues.slice(0, 20)) {
    lines.push(`  ${issue.severity} ${issue.feature === 0 ? 'file' : `feature ${issue.feature}`}${issue.field ? ` (${issue.field})` : ''}: ${issue.message}`);
  }
  if (report.issues.length > 20) lines.push(`  … ${report.issueCounts.error + report.issueCounts.warning + report.issueCounts.repaired - 20} more (--report FILE lists them)`);
  lines.push(
    report.committed
      ? `committed: import ${report.importId}, data version ${report.previousDataVersion} → ${report.dataVersion}`
      : report.dryRun
        ? 'dry run: nothing written'
        : 'not committed: the database is unchanged',
  );
  return lines.join('\n');
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      crs: { type: 'string' },
      encoding: { type: 'string' },
      map: { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
      report: { type: 'string' },
      db: { type: 'string' },
      department: { type: 'string' },
      xlsx: { type: 'string' },
      'sliver-m2': { type: 'string' },
      'sliver-share': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const databasePath = values.db ?? paths.databasePath;
  const [first, file, ...extra] = positionals;
  if (first === 'history' || first === 'undo') {
    if (file !== undefined) throw new Error(`import ${first} takes no file\n\n${usage}`);
    if (first === 'history') {
      console.log(JSON.stringify(listImports(databasePath), null, 2));
      return 0;
    }
    const undone = undoLastImport(databasePath);
    if (!undone) {
      console.error('no import to undo');
      return 1;
    }
    console.log(`undid import ${undone.id} (${undone.layer} from ${undone.fileName}); data version back to ${undone.previousDataVersion}`);
    return 0;
  }
  if (first === undefined || file === undefined || extra.length > 0) throw new Error(`import needs a layer and one file\n\n${usage}`);
  if (!(IMPORT_LAYERS as readonly string[]).includes(first)) throw new Error(`unknown layer "${first}": expected one of ${IMPORT_LAYERS.join(', ')}`);
  const crs = values.crs === undefined ? null : parseCrsOption(values.crs);
  const columnMap = parseColumnMap(values.map ?? []);
  if (values.report !== undefined) checkOutputPath(values.report);
  if (values.department !== undefined || values.xlsx !== undefined || values['sliver-m2'] !== undefined || values['sliver-share'] !== undefined) {
    if (first !== 'grids') throw new Error('--department, --xlsx and the sliver options are for departmental grids: import grids <file> --department NAME');
    if (values.department === undefined) throw new Error('--xlsx and the sliver options need --department NAME (the unified grids are replaced by import grids without it)');
    return runDepartmentImport(file, values.department, { databasePath, crs, encoding: values.encoding ?? null, columnMap, dryRun: values['dry-run'] ?? false }, values);
  }
  // The deployment's deadline policy, read (and checked) as the server reads it.
  const deadlines = first === 'disputes' ? parseDeadlinePolicy(process.env.ATLAS_SLA_DAYS) : undefined;
  const report = await importLayer({
    databasePath,
    layer: first as ImportLayer,
    filePath: file,
    crs,
    encoding: values.encoding ?? null,
    columnMap,
    dryRun: values['dry-run'] ?? false,
    deadlines,
  });
  if (values.report !== undefined) writeOutputText(values.report, `${JSON.stringify(report, null, 2)}\n`);
  if (report.fileError !== null) throw new CliInputError(file, report.fileError);
  console.log(describeReport(report));
  return report.committed || (report.dryRun && report.issueCounts.error === 0) ? 0 : 1;
}

/** A sliver option's number, checked against its range. */
function sliverOption(text: string | undefined, name: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = parseNumberText(text);
  if (!(value >= 0 && value <= max)) throw new Error(`${name} must be a number from 0 to ${max}, got "${text}"`);
  return value;
}

/** The departmental import's summary for the terminal: counts, the reconciliation's figures, the first issues. */
function describeDepartmentReport(report: DepartmentGridImportReport): string {
  const lines = [
    `${report.dryRun ? 'Dry run' : 'Import'} of ${report.file} as the ${report.department} grids: ${report.featuresRead} features read, ${report.accepted} accepted, ${report.rejected} rejected` +
      ` (${report.format ?? '?'}, ${report.crs?.used ?? '?'}${report.encoding ? `, ${report.encoding.name}` : ''})`,
    `errors ${report.issueCounts.error}, warnings ${report.issueCounts.warning}, repaired ${report.issueCounts.repaired}`,
  ];
  const summary = report.reconciliation?.summary;
  if (summary) {
    lines.push(
      `reconciliation: ${summary.unifiedGrids} unified grids (good ${summary.byQuality.good}, fair ${summary.byQuality.fair}, poor ${summary.byQuality.poor}, none ${summary.byQuality.none}; mean best IoU ${summary.meanBestIou}),` +
        ` ${summary.crossings} crossing borders, ${summary.slivers} slivers (${Math.round(summary.sliverAreaM2)} m²), ${summary.gaps} outside the unified grids (${Math.round(summary.gapAreaM2)} m²), ${summary.uncovered} unified grids not covered`,
    );
  }
  for (const issue of report.issues.slice(0, 20)) {
    lines.push(`  ${issue.severity} ${issue.feature === 0 ? 'file' : `feature ${issue.feature}`}${issue.field ? ` (${issue.field})` : ''}: ${issue.message}`);
  }
  lines.push(report.committed ? `committed: import ${report.importId}, data version ${report.previousDataVersion} → ${report.dataVersion}` : report.dryRun ? 'dry run: nothing written' : 'not committed: the database is unchanged');
  return lines.join('\n');
}

async function runDepartmentImport(
  file: string,
  department: string,
  options: { databasePath: string; crs: ReturnType<typeof parseCrsOption> | null; encoding: string | null; columnMap: Record<string, string>; dryRun: boolean },
  values: { report?: string; xlsx?: string; 'sliver-m2'?: string; 'sliver-share'?: string },
): Promise<number> {
  if (values.xlsx !== undefined) checkOutputPath(values.xlsx);
  const sliverAreaM2 = sliverOption(values['sliver-m2'], '--sliver-m2', 1e9);
  const sliverShare = sliverOption(values['sliver-share'], '--sliver-share', 1);
  const report = await importDepartmentGrids({
    ...options,
    department,
    filePath: file,
    reconcile: { ...(sliverAreaM2 === undefined ? {} : { sliverAreaM2 }), ...(sliverShare === undefined ? {} : { sliverShare }) },
  });
  if (values.report !== undefined) writeOutputText(values.report, `${JSON.stringify(report, null, 2)}\n`);
  if (report.fileError !== null) throw new CliInputError(file, report.fileError);
  if (values.xlsx !== undefined && report.reconciliation) {
    writeOutputText(values.xlsx, await reconcileWorkbook(report.reconciliation, { department: report.department, within: null, fileName: report.file, computedAt: new Date().toISOString() }));
  }
  console.log(describeDepartmentReport(report));
  return report.committed || (report.dryRun && report.issueCounts.error === 0) ? 0 : 1;
}
