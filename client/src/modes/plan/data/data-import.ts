// The 数据管理 page's pure parts: the upload (POST /api/upload, its progress), the form's choices as
// admin.import's input (coordinate system, encoding, column map), and times of imports in China time.

import { CHINA_TIME_ZONE } from '../../../../../server/domain/china-time';
import { LOCALES } from '../../../format';
import type { Lang } from '../../../i18n';

/** What POST /api/upload answers. */
export interface UploadAnswer {
  uploadId: string;
  bytes: number;
  sha256: string;
  fileName: string;
}

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

/**
 * Uploads a file (its bytes as the body, its name as a label) and reports progress in [0, 1]; resolves
 * with the upload's id, or rejects with the server's message (413: too large, 403: not allowed).
 */
export function uploadFile(file: File, onProgress: (fraction: number) => void): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/upload?name=${encodeURIComponent(file.name)}`);
    request.setRequestHeader('content-type', 'application/octet-stream');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
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
    request.send(file);
  });
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
