// The 数据管理 page's pure parts: the upload (POST /api/upload, its progress), the form's choices as
// admin.import's input (layer or a department's grids, coordinate system, encoding, column map), and
// times of imports in China time.

import { ADMIN_CODE_LENGTH, ADMIN_LEVELS } from '../../../../../server/domain/admin-codes';
import { CHINA_TIME_ZONE } from '../../../../../server/domain/china-time';
import { DATA_LAYERS, type DataLayer } from '../../../../../server/domain/data-layers';
import { LOCALES } from '../../../format';
import type { Lang } from '../../../i18n';

/** What POST /api/upload answers (for each part; sha256 once complete). */
export interface UploadAnswer {
  uploadId: string;
  bytes: number;
  sha256: string | null;
  fileName: string;
  complete: boolean;
}

/** Bytes per upload request: each part arrives well within the server's request timeout. */
export const UPLOAD_PART_BYTES = 8 * 1024 * 1024;

export type CrsChoice = 'auto' | 'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09' | 'epsg';
export const CRS_CHOICES: readonly CrsChoice[] = ['auto', 'wgs84', 'cgcs2000', 'gcj02', 'bd09', 'epsg'];
/** Attribute encodings offered ('' : detected by the importer). */
export const ENCODINGS: readonly string[] = ['', 'utf-8', 'gbk', 'gb18030'];

/** admin.import's crs for a choice (undefined: the file's own); an EPSG code without digits is none. */
export function crsOf(choice: CrsChoice, epsgCode: string): string | undefined {
  if (choice === 'auto') return undefined;
  if (choice !== 'epsg') return choice;
  const digits = epsgCode.trim().replace(/^EPSG:/i, '');
  return /^\d{4,5}$/.test(digits) ? `EPSG:${digits}` : undefined;
}

/** A department's own grid layer (多格合一): imported as layer grids with a department, beside the unified grids. */
export const DEPARTMENT_GRIDS = 'department-grids';

/** The form's target: a layer, or a department's grid layer. */
export type FormLayer = DataLayer | typeof DEPARTMENT_GRIDS;
export const FORM_LAYERS: readonly FormLayer[] = [...DATA_LAYERS, DEPARTMENT_GRIDS];

/**
 * admin.import's layer and department for the form's target: a department's layer is layer grids with
 * the department's name (trimmed); null when that name is missing.
 */
export function importTargetOf(layer: FormLayer, department: string): { layer: DataLayer; department?: string } | null {
  if (layer !== DEPARTMENT_GRIDS) return { layer };
  const name = department.trim();
  return name === '' ? null : { layer: 'grids', department: name };
}

/**
 * The smallest admin unit holding every one of the unified grids (codes whose first 12 digits are their
 * community's); null when there are none.
 */
export function unitHoldingGrids(gridCodes: readonly string[]): string | null {
  if (gridCodes.length === 0) return null;
  let common = gridCodes[0]!.slice(0, ADMIN_CODE_LENGTH.community);
  for (const code of gridCodes) while (!code.startsWith(common)) common = common.slice(0, -1);
  const lengths = ADMIN_LEVELS.map((level) => ADMIN_CODE_LENGTH[level]).filter((length) => length <= common.length);
  return lengths.length === 0 ? null : common.slice(0, Math.max(...lengths));
}

/**
 * The 多格合一 room showing a department's layer (it reads ?department= and ?within=, the unit shown: by
 * default the caller's whole jurisdiction).
 */
export function gridsPathOf(department: string, within: string | null = null): string {
  return `/plan/grids?department=${encodeURIComponent(department)}${within === null ? '' : `&within=${within}`}`;
}

export interface MapRow {
  field: string;
  column: string;
}

/** The column map rows with both sides filled, as field → column (undefined when none). */
export function columnMapOf(rows: readonly MapRow[]): Record<string, string> | undefined {
  const filled = rows.filter((row) => row.field.trim() !== '' && row.column.trim() !== '');
  return filled.length === 0 ? undefined : Object.fromEntries(filled.map((row) => [row.field.trim(), row.column.trim()]));
}

/** The server's refusal of an upload, its message as it said it. */
export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** One request of an upload: a part's bytes to `url`; progress in bytes of this part. */
function sendPart(url: string, part: Blob, onProgress: (loaded: number) => void): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.setRequestHeader('content-type', 'application/octet-stream');
    request.upload.onprogress = (event) => onProgress(event.loaded);
    request.onload = () => {
      let body: { error?: { message?: string } } & Partial<UploadAnswer> = {};
      try {
        body = JSON.parse(request.responseText) as typeof body;
      } catch {
        // Not JSON: the status says enough.
      }
      if (request.status === 200 && body.uploadId) resolve(body as UploadAnswer);
      else reject(new UploadError(request.status, body.error?.message ?? `HTTP ${request.status}`));
    };
    request.onerror = () => reject(new UploadError(0, 'the connection failed during the upload'));
    request.send(part);
  });
}

/**
 * Uploads a file in parts of UPLOAD_PART_BYTES (its name as a label) and reports progress in [0, 1];
 * resolves with the complete upload, or rejects with the server's message (413: too large, 403: not
 * allowed).
 */
export async function uploadFile(file: File, onProgress: (fraction: number) => void): Promise<UploadAnswer> {
  let answer: UploadAnswer | null = null;
  let offset = 0;
  do {
    const part = file.slice(offset, offset + UPLOAD_PART_BYTES);
    const more = offset + part.size < file.size;
    const query = answer ? `uploadId=${answer.uploadId}&offset=${offset}` : `name=${encodeURIComponent(file.name)}`;
    const sent = offset;
    answer = await sendPart(`/api/upload?${query}${more ? '&more=1' : ''}`, part, (loaded) => onProgress(file.size > 0 ? Math.min(1, (sent + loaded) / file.size) : 1));
    offset += part.size;
  } while (!answer.complete);
  return answer;
}

const dateTimeFormats: Record<Lang, Intl.DateTimeFormat> = {
  zh: new Intl.DateTimeFormat(LOCALES.zh, { timeZone: CHINA_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  en: new Intl.DateTimeFormat(LOCALES.en, { timeZone: CHINA_TIME_ZONE, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
};

/** An ISO 8601 instant as a date and time in China time ("2026/12/07 21:05" / "7 Dec 2026, 21:05"). */
export function formatImportTime(iso: string, lang: Lang): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? dateTimeFormats[lang].format(ms) : iso;
}
