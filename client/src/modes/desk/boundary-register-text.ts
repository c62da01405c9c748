// The 平安边界 register page's own strings, Chinese first (bundled with /desk/boundaries only).

import type { Lang } from '../../i18n';
import type { BoundaryLevel, RegisterSortKey } from './boundary-register';

interface BoundaryRegisterText {
  title: string;
  summary: (lines: number, due: number, asOf: string) => string;
  table: string;
  columns: Record<RegisterSortKey | 'sides' | 'actions', string>;
  levels: Record<BoundaryLevel, string>;
  signedOn: (day: string) => string;
  signed: string;
  notSigned: string;
  yes: string;
  no: string;
  unknown: string;
  never: string;
  daysSince: (days: number) => string;
  due: string;
  /** Why a line is due, as the status's tooltip. */
  dueTitle: string;
  notDue: string;
  sortBy: (column: string) => string;
  recordPatrol: string;
  recordAgreement: string;
  patrolDate: string;
  note: string;
  signedOnDate: string;
  save: string;
  saving: string;
  cancel: string;
  saved: string;
  failed: string;
  forbidden: string;
  loading: string;
  loadFailed: string;
  empty: string;
  map: string;
  legendDue: string;
  legendPatrolled: string;
  legendSelected: string;
  casesPending: string;
}

export const BOUNDARY_REGISTER_TEXT: Record<Lang, BoundaryRegisterText> = {
  zh: {
    title: '平安边界',
    summary: (lines, due, asOf) => `共 ${lines} 条边界线，${due} 条待联合巡逻 · 截至 ${asOf}`,
    table: '边界线台账',
    columns: {
      due: '巡逻状态',
      level: '层级',
      sides: '两侧',
      length: '长度',
      agreement: '平安边界协议',
      mediation: '联合调解',
      patrol: '最近联合巡逻',
      cases: '近90天周边案件',
      actions: '登记',
    },
    levels: { street: '街道', county: '县区', city: '市', province: '省' },
    signedOn: (day) => `已签订（${day}）`,
    signed: '已签订',
    notSigned: '未签订',
    yes: '已建立',
    no: '未建立',
    unknown: '—',
    never: '从未巡逻',
    daysSince: (days) => `${days} 天前`,
    due: '待巡逻',
    dueTitle: '90天内无联合巡逻',
    notDue: '已巡逻',
    sortBy: (column) => `按${column}排序`,
    recordPatrol: '记录联合巡逻',
    recordAgreement: '记录协议签订',
    patrolDate: '巡逻日期',
    note: '备注',
    signedOnDate: '签订日期',
    save: '保存',
    saving: '保存中…',
    cancel: '取消',
    saved: '已保存',
    failed: '未保存：',
    forbidden: '无权登记：此边界线两侧均不在您的辖区内',
    loading: '加载中…',
    loadFailed: '台账加载失败：',
    empty: '辖区内没有边界线',
    map: '边界线地图',
    legendDue: '待巡逻（90天内无联合巡逻）',
    legendPatrolled: '90天内已巡逻',
    legendSelected: '选中',
    casesPending: '…',
  },
  en: {
    title: 'Safe boundaries',
    summary: (lines, due, asOf) => `${lines} boundary lines, ${due} due a joint patrol · as of ${asOf}`,
    table: 'Boundary-line register',
    columns: {
      due: 'Patrol status',
      level: 'Level',
      sides: 'Sides',
      length: 'Length',
      agreement: 'Safe-boundary agreement',
      mediation: 'Joint mediation',
      patrol: 'Last joint patrol',
      cases: 'Cases nearby (90 days)',
      actions: 'Record',
    },
    levels: { street: 'Street', county: 'County', city: 'City', province: 'Province' },
    signedOn: (day) => `Signed (${day})`,
    signed: 'Signed',
    notSigned: 'Not signed',
    yes: 'Yes',
    no: 'No',
    unknown: '—',
    never: 'Never patrolled',
    daysSince: (days) => `${days} days ago`,
    due: 'Due',
    dueTitle: 'No joint patrol within 90 days',
    notDue: 'Patrolled',
    sortBy: (column) => `Sort by ${column}`,
    recordPatrol: 'Record joint patrol',
    recordAgreement: 'Record agreement signed',
    patrolDate: 'Patrol date',
    note: 'Note',
    signedOnDate: 'Signed on',
    save: 'Save',
    saving: 'Saving…',
    cancel: 'Cancel',
    saved: 'Saved',
    failed: 'Not saved: ',
    forbidden: 'Not allowed: neither side of this boundary line is in your jurisdiction',
    loading: 'Loading…',
    loadFailed: 'The register could not be loaded: ',
    empty: 'No boundary lines in this jurisdiction',
    map: 'Map of the boundary lines',
    legendDue: 'Due (no joint patrol within 90 days)',
    legendPatrolled: 'Patrolled within 90 days',
    legendSelected: 'Selected',
    casesPending: '…',
  },
};
