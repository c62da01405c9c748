// The 数据管理 page's own strings, Chinese first (bundled with /plan/data only): layers, sources, the
// upload form, the importer's report and its issue codes, a department's layer (多格合一), the history and
// its undo. The reconciliation's figures are named in the 多格合一 room's strings (grids-text.ts).

import type { Lang } from '../../../i18n';

/** The shift check's figures as the report carries them. */
export interface ShiftCheckView {
  declared: string;
  best: string;
  shifted: boolean;
  medianMetersBySystem: Record<string, number>;
}

const SYSTEM_NAMES: Record<string, string> = { WGS84: 'WGS84/CGCS2000', GCJ02: 'GCJ-02', BD09: 'BD-09' };
const systemName = (key: string): string => SYSTEM_NAMES[key] ?? key;

interface DataText {
  title: string;
  layersTitle: string;
  layers: Record<string, string>;
  columns: { layer: string; source: string; file: string; importedAt: string; features: string };
  sources: Record<'demonstration' | 'sources' | 'imported', string>;
  adminOnly: string;
  uploadTitle: string;
  file: string;
  layer: string;
  crs: string;
  crsOptions: Record<'auto' | 'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09' | 'epsg', string>;
  epsgCode: string;
  encoding: string;
  encodingAuto: string;
  columnMap: string;
  columnMapHint: string;
  mapField: string;
  mapColumn: string;
  addMapRow: string;
  removeMapRow: string;
  dryRun: string;
  start: string;
  uploading: (percent: number) => string;
  importing: string;
  reportTitle: string;
  reportCounts: (read: number, accepted: number, rejected: number) => string;
  issueCounts: (errors: number, warnings: number, repaired: number) => string;
  format: string;
  crsUsed: string;
  crsSource: Record<'option' | 'file' | 'default', string>;
  encodingUsed: string;
  shiftCheck: string;
  /** The shift check in words (null: the server's own message). */
  shiftMessage: ((check: ShiftCheckView) => string) | null;
  fileError: string;
  dryRunClean: string;
  dryRunErrors: string;
  committed: (importId: number) => string;
  notCommitted: string;
  commit: string;
  issuesTitle: string;
  issuesTruncated: (listed: number) => string;
  issueColumns: { feature: string; severity: string; code: string; message: string; field: string };
  wholeFile: string;
  severities: Record<'error' | 'warning' | 'repaired', string>;
  codes: Record<string, string>;
  historyTitle: string;
  historyColumns: { id: string; layer: string; file: string; crs: string; features: string; importedAt: string; state: string };
  undone: (at: string) => string;
  active: string;
  /** An import in effect whose undo backup was pruned. */
  activeNoUndo: string;
  /** Said instead of the undo button when the last import can no longer be undone. */
  notUndoable: string;
  noHistory: string;
  undo: string;
  undoConfirm: (layer: string, file: string) => string;
  confirm: string;
  cancel: string;
  undoneMessage: (layer: string) => string;
  failed: string;
  chooseFile: string;
  loading: string;
  /** A department's imported grid layer in the layers table. */
  departmentLayer: (department: string) => string;
  departmentName: string;
  departmentHint: string;
  departmentRequired: string;
  reconcileTitle: string;
  /** The link to the 多格合一 room once a department's layer is committed. */
  openGrids: (department: string) => string;
}

export const DATA_TEXT: Record<Lang, DataText> = {
  zh: {
    title: '数据管理',
    layersTitle: '各图层数据来源',
    layers: {
      units: '行政区划（社区）',
      grids: '网格',
      facilities: '设施',
      lines: '边界线台账',
      roads: '步行路网',
      population: '人口点',
      disputes: '矛盾纠纷',
      'department-grids': '部门网格（多格合一）',
    },
    columns: { layer: '图层', source: '来源', file: '文件', importedAt: '导入时间', features: '要素数' },
    sources: { demonstration: '演示数据', sources: '真实数据（内置）', imported: '已导入' },
    adminOnly: '导入与撤销数据仅对全域系统管理员开放；您可以查看各图层的数据来源。',
    uploadTitle: '导入数据',
    file: '文件',
    layer: '目标图层',
    crs: '坐标系',
    crsOptions: { auto: '自动（按文件声明，否则 WGS84）', wgs84: 'WGS84', cgcs2000: 'CGCS2000', gcj02: 'GCJ-02（火星坐标）', bd09: 'BD-09（百度坐标）', epsg: 'EPSG 代码' },
    epsgCode: 'EPSG 代码',
    encoding: '属性编码',
    encodingAuto: '自动',
    columnMap: '字段映射',
    columnMapHint: '文件列名与系统字段不一致时填写，例如 name ← 名称',
    mapField: '系统字段',
    mapColumn: '文件列名',
    addMapRow: '添加映射',
    removeMapRow: '删除',
    dryRun: '仅校验（试导入，不写入数据库）',
    start: '上传并校验',
    uploading: (percent) => `正在上传… ${percent}%`,
    importing: '正在校验与导入…',
    reportTitle: '导入报告',
    reportCounts: (read, accepted, rejected) => `读取 ${read} 条，通过 ${accepted} 条，拒绝 ${rejected} 条`,
    issueCounts: (errors, warnings, repaired) => `错误 ${errors} 个，警告 ${warnings} 个，已修复 ${repaired} 个`,
    format: '文件格式',
    crsUsed: '所用坐标系',
    crsSource: { option: '按所选', file: '文件声明', default: '默认' },
    encodingUsed: '属性编码',
    shiftCheck: '坐标偏移检查',
    shiftMessage: ({ declared, best, shifted, medianMetersBySystem: m }) =>
      shifted
        ? `数据疑似偏移：按 ${systemName(declared)} 读取时与系统现有要素的中位距离为 ${m[declared]} 米，按 ${systemName(best)} 读取为 ${m[best]} 米；若数据为 ${systemName(best)}，请在坐标系中选择它`
        : `${systemName(declared)} 吻合（与系统现有要素的中位距离 ${m[declared]} 米）`,
    fileError: '文件无法读取',
    dryRunClean: '试导入未发现错误，可以提交导入。',
    dryRunErrors: '存在错误，请修正文件后重新上传。',
    committed: (importId) => `已导入（第 ${importId} 次导入），系统已切换到新数据。`,
    notCommitted: '未导入：数据库保持不变。',
    commit: '提交导入',
    issuesTitle: '问题清单',
    issuesTruncated: (listed) => `仅列出前 ${listed} 个问题`,
    issueColumns: { feature: '要素序号', severity: '级别', code: '问题类型', message: '说明', field: '字段' },
    wholeFile: '整个文件',
    severities: { error: '错误', warning: '警告', repaired: '已修复' },
    codes: {
      unreadable: '无法读取',
      'invalid-geometry': '几何无效',
      'geometry-repaired': '几何已修复',
      'wrong-type': '类型错误',
      'missing-field': '缺少字段',
      'unknown-code': '代码不在区划中',
      'outside-parent': '不在所属区划内',
      'outside-atlas': '超出本系统范围',
      duplicate: '重复',
      'no-features': '没有要素',
      'grid-overlap': '网格重叠',
      'grid-gap': '网格空隙',
      'crs-shifted': '坐标疑似偏移',
      'crs-overridden': '坐标系已覆盖文件声明',
      'ways-not-walkable': '道路不可步行',
      'street-dissolved': '街道边界已重建',
      'parent-without-polygon': '上级区划无边界',
      'no-unified-grids': '缺少统一网格',
      'status-mismatch': '状态与流程不符',
      'steps-out-of-order': '流程步骤顺序错误',
      'step-times-filled': '流程时间已补全',
      'codes-rederived': '归属代码已按新边界重算',
    },
    historyTitle: '导入历史',
    historyColumns: { id: '序号', layer: '图层', file: '文件', crs: '坐标系', features: '要素数', importedAt: '导入时间', state: '状态' },
    undone: (at) => `已于 ${at} 撤销`,
    active: '生效中',
    activeNoUndo: '生效中（撤销备份已清理）',
    notUndoable: '上次导入的撤销备份已按保留数（ATLAS_IMPORT_KEEP_UNDO）清理，不能再撤销；如需恢复，请重新导入之前的文件。',
    noHistory: '尚无导入记录，所有图层均为系统内置数据。',
    undo: '撤销上次导入',
    undoConfirm: (layer, file) => `确定撤销上次导入吗？「${layer}」图层将恢复为导入「${file}」之前的数据。`,
    confirm: '确定撤销',
    cancel: '取消',
    undoneMessage: (layer) => `已撤销，「${layer}」图层已恢复。`,
    failed: '操作失败：',
    chooseFile: '请选择文件',
    loading: '正在加载…',
    departmentLayer: (department) => `部门网格：${department}`,
    departmentName: '部门名称',
    departmentHint: '如 安全生产、市场监管；同名部门的网格将被替换，其他部门的保留',
    departmentRequired: '请填写部门名称',
    reconcileTitle: '与统一网格对照（多格合一）',
    openGrids: (department) => `在多格合一中查看「${department}」`,
  },
  en: {
    title: 'Data',
    layersTitle: 'Where each layer comes from',
    layers: {
      units: 'Admin units (communities)',
      grids: 'Grids',
      facilities: 'Facilities',
      lines: 'Boundary line register',
      roads: 'Walking network',
      population: 'Population points',
      disputes: 'Disputes',
      'department-grids': 'Departmental grids',
    },
    columns: { layer: 'Layer', source: 'Source', file: 'File', importedAt: 'Imported', features: 'Features' },
    sources: { demonstration: 'Demonstration data', sources: 'Real data (built in)', imported: 'Imported' },
    adminOnly: 'Importing and undoing data is for administrators of the whole deployment; you can see where each layer comes from.',
    uploadTitle: 'Import data',
    file: 'File',
    layer: 'Layer',
    crs: 'Coordinate system',
    crsOptions: { auto: "Automatic (the file's, else WGS84)", wgs84: 'WGS84', cgcs2000: 'CGCS2000', gcj02: 'GCJ-02', bd09: 'BD-09 (Baidu)', epsg: 'EPSG code' },
    epsgCode: 'EPSG code',
    encoding: 'Attribute encoding',
    encodingAuto: 'Automatic',
    columnMap: 'Column map',
    columnMapHint: "When the file's columns are named differently, e.g. name ← 名称",
    mapField: 'Field',
    mapColumn: 'File column',
    addMapRow: 'Add',
    removeMapRow: 'Remove',
    dryRun: 'Validate only (dry run, nothing written)',
    start: 'Upload and validate',
    uploading: (percent) => `Uploading… ${percent}%`,
    importing: 'Validating and importing…',
    reportTitle: 'Import report',
    reportCounts: (read, accepted, rejected) => `${read} read, ${accepted} accepted, ${rejected} rejected`,
    issueCounts: (errors, warnings, repaired) => `${errors} errors, ${warnings} warnings, ${repaired} repaired`,
    format: 'Format',
    crsUsed: 'Coordinate system used',
    crsSource: { option: 'as chosen', file: 'declared by the file', default: 'default' },
    encodingUsed: 'Encoding',
    shiftCheck: 'Shift check',
    shiftMessage: null,
    fileError: 'The file cannot be read',
    dryRunClean: 'The dry run found no error: the import can be committed.',
    dryRunErrors: 'There are errors: correct the file and upload it again.',
    committed: (importId) => `Imported (import ${importId}); the atlas now serves the new data.`,
    notCommitted: 'Not imported: the database is unchanged.',
    commit: 'Commit import',
    issuesTitle: 'Issues',
    issuesTruncated: (listed) => `Only the first ${listed} issues are listed`,
    issueColumns: { feature: 'Feature', severity: 'Severity', code: 'Kind', message: 'Message', field: 'Field' },
    wholeFile: 'whole file',
    severities: { error: 'error', warning: 'warning', repaired: 'repaired' },
    codes: {},
    historyTitle: 'Import history',
    historyColumns: { id: 'No.', layer: 'Layer', file: 'File', crs: 'CRS', features: 'Features', importedAt: 'Imported', state: 'State' },
    undone: (at) => `undone ${at}`,
    active: 'in effect',
    activeNoUndo: 'in effect (undo backup dropped)',
    notUndoable: 'The last import can no longer be undone: its backup was dropped (only the last ATLAS_IMPORT_KEEP_UNDO imports keep one). Import the earlier file again instead.',
    noHistory: 'No imports yet: every layer holds the built-in data.',
    undo: 'Undo last import',
    undoConfirm: (layer, file) => `Undo the last import? The ${layer} layer returns to its data from before "${file}".`,
    confirm: 'Undo',
    cancel: 'Cancel',
    undoneMessage: (layer) => `Undone: the ${layer} layer is restored.`,
    failed: 'Failed: ',
    chooseFile: 'Choose a file',
    loading: 'Loading…',
    departmentLayer: (department) => `Departmental grids: ${department}`,
    departmentName: 'Department',
    departmentHint: "e.g. 安全生产 (work safety); that department's previous layer is replaced, other departments' kept",
    departmentRequired: 'Enter the department',
    reconcileTitle: 'Against the unified grids (reconciliation)',
    openGrids: (department) => `Open ${department} in grid reconciliation`,
  },
};

/** An issue code in the page's language (English: the code itself). */
export function issueCodeLabel(code: string, text: DataText): string {
  return text.codes[code] ?? code;
}

/** A layer's name in the page's language (the key itself when unknown). */
export function layerLabel(layer: string, text: DataText): string {
  return text.layers[layer] ?? layer;
}
