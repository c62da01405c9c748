// The 多格合一 page's own strings, Chinese first (bundled with /plan/grids only): the request, the summary,
// the legend, the table of the worst matches and the download.

import type { Lang } from '../../../i18n';
import type { MatchQuality } from '../../../api-types';

interface GridsText {
  title: string;
  department: string;
  within: string;
  show: string;
  download: string;
  downloading: string;
  noDepartments: string;
  notPlanner: string;
  computing: string;
  quality: Record<MatchQuality, string>;
  departmentOutline: string;
  alert: string;
  summary: { unified: string; department: string; meanIou: string; crossings: string; slivers: string; gaps: string; uncovered: string };
  tableTitle: string;
  columns: { code: string; name: string; best: string; iou: string; share: string; overlaps: string };
  layerFile: (file: string, importedAt: string) => string;
}

export const GRIDS_TEXT: Record<Lang, GridsText> = {
  zh: {
    title: '多格合一',
    department: '部门',
    within: '范围（区划代码）',
    show: '对照',
    download: '下载对照表 (XLSX)',
    downloading: '正在导出…',
    noDepartments: '尚未导入部门网格。导入：npm run cli -- import grids <文件> --department <部门名称>',
    notPlanner: '多格合一对照仅向规划角色开放。',
    computing: '正在计算对照…',
    quality: { good: '吻合 (IoU ≥ 0.9)', fair: '基本吻合 (0.6–0.9)', poor: '不吻合 (< 0.6)', none: '无对应部门网格' },
    departmentOutline: '部门网格边界',
    alert: '跨界部门网格 / 碎片',
    summary: { unified: '统一网格', department: '部门网格', meanIou: '平均最佳 IoU', crossings: '跨社区/街道', slivers: '碎片', gaps: '超出统一网格', uncovered: '无覆盖的统一网格' },
    tableTitle: '匹配最差的统一网格',
    columns: { code: '统一网格编码', name: '名称', best: '最佳匹配', iou: 'IoU', share: '占统一网格', overlaps: '重叠数' },
    layerFile: (file, importedAt) => `来源：${file}，导入于 ${importedAt}`,
  },
  en: {
    title: 'Grid reconciliation',
    department: 'Department',
    within: 'Area (unit code)',
    show: 'Compare',
    download: 'Download report (XLSX)',
    downloading: 'Exporting…',
    noDepartments: 'No departmental grids imported yet. Import: npm run cli -- import grids <file> --department <name>',
    notPlanner: 'Grid reconciliation is open to planning roles only.',
    computing: 'Reconciling…',
    quality: { good: 'Good (IoU ≥ 0.9)', fair: 'Fair (0.6–0.9)', poor: 'Poor (< 0.6)', none: 'No department grid' },
    departmentOutline: 'Department grid outline',
    alert: 'Crossing department grid / sliver',
    summary: { unified: 'Unified grids', department: 'Department grids', meanIou: 'Mean best IoU', crossings: 'Crossing borders', slivers: 'Slivers', gaps: 'Outside unified grids', uncovered: 'Unified grids not covered' },
    tableTitle: 'Worst-matching unified grids',
    columns: { code: 'Unified grid', name: 'Name', best: 'Best match', iou: 'IoU', share: 'Share of grid', overlaps: 'Overlaps' },
    layerFile: (file, importedAt) => `From ${file}, imported ${importedAt}`,
  },
};
