// The 多格合一 reconciliation report as an XLSX workbook (exceljs): a summary sheet, then one sheet each for
// the unified grids' matches, border crossings, slivers and uncovered areas, Chinese headers by default.

import type { MatchQuality, ReconcileReport } from '../../analysis/geo/grid-reconcile';

export type ReportLang = 'zh' | 'en';

/** What the workbook says the report is about. */
export interface ReconcileWorkbookMeta {
  department: string;
  /** The unit the report covers (code), or null for the whole layer. */
  within: string | null;
  fileName: string | null;
  /** ISO 8601 when the report was computed. */
  computedAt: string;
}

export const RECONCILE_SHEETS: Record<ReportLang, { summary: string; grids: string; crossings: string; slivers: string; gaps: string }> = {
  zh: { summary: '概要', grids: '逐格对照', crossings: '跨界', slivers: '碎片', gaps: '未覆盖' },
  en: { summary: 'Summary', grids: 'By grid', crossings: 'Crossings', slivers: 'Slivers', gaps: 'Gaps' },
};

const HEADERS = {
  zh: {
    grids: ['统一网格编码', '统一网格名称', '面积(m²)', '最佳匹配部门网格', '最佳匹配名称', '交并比(IoU)', '匹配程度', '重叠面积(m²)', '占统一网格比例', '占部门网格比例', '覆盖比例', '重叠部门网格数', '全部重叠(编码:比例)'],
    crossings: ['部门网格编码', '部门网格名称', '面积(m²)', '跨越层级', '所跨街道(编码 名称 比例)', '所跨社区(编码 名称 比例)'],
    slivers: ['统一网格编码', '部门网格编码', '碎片面积(m²)', '占统一网格比例', '经度', '纬度'],
    gaps: ['类型', '编码', '名称', '未覆盖面积(m²)', '比例'],
  },
  en: {
    grids: ['Unified grid', 'Name', 'Area (m²)', 'Best match', 'Best match name', 'IoU', 'Match', 'Overlap (m²)', 'Share of unified grid', 'Share of department grid', 'Covered share', 'Overlapping department grids', 'All overlaps (code:share)'],
    crossings: ['Department grid', 'Name', 'Area (m²)', 'Level crossed', 'Streets (code name share)', 'Communities (code name share)'],
    slivers: ['Unified grid', 'Department grid', 'Sliver area (m²)', 'Share of unified grid', 'Longitude', 'Latitude'],
    gaps: ['Kind', 'Code', 'Name', 'Uncovered area (m²)', 'Share'],
  },
} as const;

const QUALITY: Record<ReportLang, Record<MatchQuality, string>> = {
  zh: { good: '吻合', fair: '基本吻合', poor: '不吻合', none: '无对应' },
  en: { good: 'good', fair: 'fair', poor: 'poor', none: 'none' },
};

const LEVEL: Record<ReportLang, Record<'street' | 'community', string>> = {
  zh: { street: '街道', community: '社区' },
  en: { street: 'street', community: 'community' },
};

const GAP_KIND: Record<ReportLang, { outside: string; uncovered: string }> = {
  zh: { outside: '部门网格超出统一网格', uncovered: '统一网格无部门网格覆盖' },
  en: { outside: 'department grid outside unified grids', uncovered: 'unified grid not covered' },
};

/** The summary sheet's rows: label, value. */
function summaryRows(report: ReconcileReport, meta: ReconcileWorkbookMeta, lang: ReportLang): (string | number)[][] {
  const s = report.summary;
  const zh = lang === 'zh';
  return [
    [zh ? '部门' : 'Department', meta.department],
    [zh ? '范围' : 'Within', meta.within ?? (zh ? '全部' : 'all')],
    [zh ? '来源文件' : 'Source file', meta.fileName ?? ''],
    [zh ? '计算时间' : 'Computed at', meta.computedAt],
    [zh ? '统一网格数' : 'Unified grids', s.unifiedGrids],
    [zh ? '部门网格数' : 'Department grids', s.departmentGrids],
    [zh ? `吻合 (IoU ≥ 0.9)` : 'Good match (IoU ≥ 0.9)', s.byQuality.good],
    [zh ? '基本吻合 (0.6 ≤ IoU < 0.9)' : 'Fair match (0.6 ≤ IoU < 0.9)', s.byQuality.fair],
    [zh ? '不吻合 (IoU < 0.6)' : 'Poor match (IoU < 0.6)', s.byQuality.poor],
    [zh ? '无对应' : 'No match', s.byQuality.none],
    [zh ? '平均最佳交并比' : 'Mean best IoU', s.meanBestIou],
    [zh ? '跨界部门网格数' : 'Department grids crossing borders', s.crossings],
    [zh ? '碎片数' : 'Slivers', s.slivers],
    [zh ? '碎片总面积(m²)' : 'Sliver area (m²)', s.sliverAreaM2],
    [zh ? '超出统一网格的部门网格数' : 'Department grids outside unified grids', s.gaps],
    [zh ? '超出面积(m²)' : 'Area outside (m²)', s.gapAreaM2],
    [zh ? '无覆盖的统一网格数' : 'Unified grids not covered', s.uncovered],
    [zh ? '碎片阈值' : 'Sliver threshold', zh ? `< ${report.options.sliverAreaM2} m² 或 < ${report.options.sliverShare * 100}% 网格面积` : `< ${report.options.sliverAreaM2} m² or < ${report.options.sliverShare * 100}% of the grid`],
  ];
}

/** The report as XLSX bytes (sheets RECONCILE_SHEETS[lang]). */
export async function reconcileWorkbook(report: ReconcileReport, meta: ReconcileWorkbookMeta, lang: ReportLang = 'zh'): Promise<Buffer> {
  // exceljs is CommonJS: under Node's ESM loader its exports arrive as the default export.
  const excel = await import('exceljs');
  const { Workbook } = (excel as unknown as { default?: typeof excel }).default ?? excel;
  const workbook = new Workbook();
  workbook.creator = 'Pingan Atlas';
  const names = RECONCILE_SHEETS[lang];
  const headers = HEADERS[lang];
  const sheet = (name: string, header: readonly string[] | null, rows: readonly (readonly (string | number | null)[])[], widths: readonly number[]) => {
    const worksheet = workbook.addWorksheet(name);
    if (header) {
      worksheet.addRow([...header]);
      worksheet.getRow(1).font = { bold: true };
      worksheet.views = [{ state: 'frozen', ySplit: 1 }];
    }
    for (const row of rows) worksheet.addRow([...row]);
    widths.forEach((width, k) => (worksheet.getColumn(k + 1).width = width));
  };
  const unitList = (units: readonly { code: string; name: string; share: number }[]) => units.map((unit) => `${unit.code} ${unit.name} ${unit.share}`).join('; ');
  sheet(names.summary, null, summaryRows(report, meta, lang), [34, 48]);
  sheet(
    names.grids,
    headers.grids,
    report.unified.map((grid) => [
      grid.code,
      grid.name,
      grid.areaM2,
      grid.best?.departmentCode ?? null,
      grid.best?.departmentName ?? null,
      grid.best?.iou ?? 0,
      QUALITY[lang][grid.quality],
      grid.best?.areaM2 ?? 0,
      grid.best?.shareOfUnified ?? 0,
      grid.best?.shareOfDepartment ?? 0,
      grid.coveredShare,
      grid.overlaps.length,
      grid.overlaps.map((overlap) => `${overlap.departmentCode}:${overlap.shareOfUnified}`).join('; '),
    ]),
    [18, 20, 12, 18, 20, 10, 10, 12, 12, 12, 10, 10, 40],
  );
  sheet(
    names.crossings,
    headers.crossings,
    report.crossings.map((crossing) => [crossing.departmentCode, crossing.departmentName, crossing.areaM2, LEVEL[lang][crossing.level], unitList(crossing.streets), unitList(crossing.communities)]),
    [18, 20, 12, 10, 48, 60],
  );
  sheet(
    names.slivers,
    headers.slivers,
    report.slivers.map((sliver) => [sliver.unifiedCode, sliver.departmentCode, sliver.areaM2, sliver.shareOfUnified, sliver.lngLat[0], sliver.lngLat[1]]),
    [18, 18, 14, 14, 12, 12],
  );
  const unifiedByCode = new Map(report.unified.map((grid) => [grid.code, grid]));
  sheet(
    names.gaps,
    headers.gaps,
    [
      ...report.gaps.map((gap) => [GAP_KIND[lang].outside, gap.departmentCode, gap.departmentName, gap.outsideM2, gap.shareOutside]),
      ...report.uncovered.map((code) => [GAP_KIND[lang].uncovered, code, unifiedByCode.get(code)?.name ?? '', unifiedByCode.get(code)?.areaM2 ?? 0, 1]),
    ],
    [30, 18, 20, 16, 10],
  );
  return Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}
