// The report form's own strings, Chinese first (bundled with /report only). Names of dispute types,
// sources, severities and party roles come from server/domain.

import type { Lang } from '../../i18n';

interface ReportText {
  modeTitle: string;
  heading: string;
  area: string;
  noRight: string;
  type: string;
  source: string;
  severity: string;
  place: string;
  placeHint: string;
  placeChosen: string;
  useLocation: string;
  locating: string;
  locationErrors: Record<'denied' | 'timeout' | 'unavailable' | 'unsupported', string>;
  clearPlace: string;
  map: string;
  parties: string;
  partyN: string;
  addParty: string;
  removeParty: string;
  partyName: string;
  partyPhone: string;
  partyRole: string;
  summary: string;
  summaryPlaceholder: string;
  submit: string;
  submitting: string;
  problems: {
    placeMissing: string;
    summaryTooLong: string;
    tooManyParties: string;
    nameMissing: string;
    nameTooLong: string;
    badPhone: string;
    phoneTooLong: string;
    roleTooLong: string;
    checkFields: string;
  };
  success: string;
  successNote: string;
  savedForLater: string;
  refused: Record<'FORBIDDEN' | 'BAD_REQUEST' | 'CONFLICT' | 'other', string>;
  serverSays: string;
  outbox: string;
  pendingCount: string;
  failedCount: string;
  noReports: string;
  sentAs: string;
  sending: string;
  waiting: string;
  nextRetry: string;
  lastError: string;
  loginAgain: string;
  login: string;
  retryNow: string;
  failed: string;
  edit: string;
  discard: string;
  reportedAt: string;
}

export const REPORT_TEXT: Record<Lang, ReportText> = {
  zh: {
    modeTitle: '网格上报',
    heading: '上报矛盾纠纷',
    area: '辖区',
    noRight: '当前账号（{role}）不能上报案件。上报需要网格员或综治中心工作人员的账号。',
    type: '纠纷类型',
    source: '来源',
    severity: '严重程度',
    place: '事发位置',
    placeHint: '在地图上点击事发位置，或使用我的位置。粗线为您的辖区。',
    placeChosen: '已选位置',
    useLocation: '使用我的位置',
    locating: '正在定位…',
    locationErrors: {
      denied: '无法获取位置：定位权限被拒绝。请在浏览器设置中允许定位，或在地图上点选。',
      timeout: '定位超时。请到开阔处重试，或在地图上点选。',
      unavailable: '当前无法确定位置，请在地图上点选。',
      unsupported: '此浏览器不支持定位，请在地图上点选。',
    },
    clearPlace: '清除位置',
    map: '选择事发位置的地图',
    parties: '当事人',
    partyN: '当事人 {n}',
    addParty: '添加当事人',
    removeParty: '删除',
    partyName: '姓名',
    partyPhone: '电话',
    partyRole: '身份',
    summary: '情况简述',
    summaryPlaceholder: '事由、经过、诉求',
    submit: '提交上报',
    submitting: '正在上报…',
    problems: {
      placeMissing: '请在地图上点选事发位置，或使用我的位置。',
      summaryTooLong: '情况简述最多 {max} 字，现为 {n} 字。',
      tooManyParties: '当事人最多 {max} 人。',
      nameMissing: '请填写姓名，或删除这一行。',
      nameTooLong: '姓名最多 {max} 字。',
      badPhone: '电话只能包含数字、空格和 + - ( )。',
      phoneTooLong: '电话最多 {max} 位。',
      roleTooLong: '身份最多 {max} 字。',
      checkFields: '请修改标出的 {n} 处后再提交。',
    },
    success: '已上报 · 编号 {id}',
    successNote: '表单已清空，纠纷类型和来源已保留。',
    savedForLater: '网络不稳定：本件已存入待发送，将自动重试；重试不会重复登记。表单已清空。',
    refused: {
      FORBIDDEN: '未能上报：所选位置不在您的辖区内，或账号无权上报。',
      BAD_REQUEST: '未能上报：服务器认为填写的内容有误。',
      CONFLICT: '未能上报：该编号的上报内容与此前不同。',
      other: '未能上报：服务器拒绝了本次上报。',
    },
    serverSays: '服务器答复：',
    outbox: '上报记录',
    pendingCount: '待发送 {n} 件',
    failedCount: '未能上报 {n} 件',
    noReports: '本机暂无上报记录。',
    sentAs: '已上报 · 编号 {id}',
    sending: '发送中…',
    waiting: '待发送 · 已尝试 {n} 次',
    nextRetry: '{time} 自动重试',
    lastError: '上次失败：',
    loginAgain: '登录已失效：请用本账号重新登录，本件将在登录后自动发送。',
    login: '重新登录',
    retryNow: '立即重试',
    failed: '未能上报',
    edit: '修改后重新提交',
    discard: '删除',
    reportedAt: '提交于 {time}',
  },
  en: {
    modeTitle: 'Field report',
    heading: 'Report a dispute',
    area: 'Jurisdiction',
    noRight: 'This account ({role}) cannot report cases. Reporting needs a grid worker’s or a governance officer’s account.',
    type: 'Dispute type',
    source: 'Source',
    severity: 'Severity',
    place: 'Place',
    placeHint: 'Tap the place on the map, or use your location. The bold outline is your jurisdiction.',
    placeChosen: 'Chosen place',
    useLocation: 'Use my location',
    locating: 'Locating…',
    locationErrors: {
      denied: 'No location: permission was denied. Allow location in the browser’s settings, or tap the map.',
      timeout: 'Locating timed out. Try again in the open, or tap the map.',
      unavailable: 'Your position cannot be determined now. Tap the map instead.',
      unsupported: 'This browser cannot locate you. Tap the map instead.',
    },
    clearPlace: 'Clear place',
    map: 'Map to choose the place',
    parties: 'Parties',
    partyN: 'Party {n}',
    addParty: 'Add a party',
    removeParty: 'Remove',
    partyName: 'Name',
    partyPhone: 'Phone',
    partyRole: 'Role',
    summary: 'Summary',
    summaryPlaceholder: 'What happened, and what the parties ask for',
    submit: 'Submit report',
    submitting: 'Reporting…',
    problems: {
      placeMissing: 'Tap the place on the map, or use your location.',
      summaryTooLong: 'The summary takes at most {max} characters; it has {n}.',
      tooManyParties: 'At most {max} parties.',
      nameMissing: 'Enter a name, or remove this row.',
      nameTooLong: 'A name takes at most {max} characters.',
      badPhone: 'A phone number holds digits, spaces and + - ( ) only.',
      phoneTooLong: 'A phone number takes at most {max} characters.',
      roleTooLong: 'A role takes at most {max} characters.',
      checkFields: 'Correct the {n} marked fields, then submit again.',
    },
    success: 'Reported · case {id}',
    successNote: 'The form is cleared; the dispute type and source are kept.',
    savedForLater: 'The network is unreliable: the report waits in the outbox and is retried by itself, never registered twice. The form is cleared.',
    refused: {
      FORBIDDEN: 'Not reported: the place lies outside your jurisdiction, or this account may not report.',
      BAD_REQUEST: 'Not reported: the server found something wrong in the report.',
      CONFLICT: 'Not reported: this report’s key was used before with different content.',
      other: 'Not reported: the server refused the report.',
    },
    serverSays: 'The server said: ',
    outbox: 'Reports',
    pendingCount: '{n} waiting to send',
    failedCount: '{n} not reported',
    noReports: 'No reports on this device yet.',
    sentAs: 'Reported · case {id}',
    sending: 'Sending…',
    waiting: 'Waiting to send · {n} attempts',
    nextRetry: 'retried by itself at {time}',
    lastError: 'Last failure: ',
    loginAgain: 'Your session has ended: log in again with this account and the report is sent by itself.',
    login: 'Log in again',
    retryNow: 'Retry now',
    failed: 'Not reported',
    edit: 'Correct and resubmit',
    discard: 'Delete',
    reportedAt: 'submitted {time}',
  },
};

/** A template's {name} placeholders filled. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in values ? String(values[name]) : match));
}
