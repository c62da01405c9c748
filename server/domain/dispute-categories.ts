// Dispute vocabularies with Chinese and English labels: types (矛盾纠纷类型), sources (来源), outcomes
// (化解结果), the roles that act on a case and parties' roles. Columnar data stores the index into these lists.

import type { Label, Lang } from './labels';

/** Dispute types. Rural places have more land and boundary disputes, towns more property, consumer and wage disputes. */
export const DISPUTE_TYPES = [
  { key: 'family', label: { zh: '婚姻家庭', en: 'Marriage and family' } },
  { key: 'neighbour', label: { zh: '邻里纠纷', en: 'Neighbours' } },
  { key: 'property', label: { zh: '物业管理', en: 'Property management' } },
  { key: 'wages', label: { zh: '劳资纠纷', en: 'Wages and labour' } },
  { key: 'land', label: { zh: '土地征迁', en: 'Land acquisition and resettlement' } },
  { key: 'boundary', label: { zh: '山林土地界址', en: 'Land and forest boundaries' } },
  { key: 'consumer', label: { zh: '消费纠纷', en: 'Consumer' } },
  { key: 'traffic', label: { zh: '交通事故', en: 'Traffic accidents' } },
  { key: 'medical', label: { zh: '医疗纠纷', en: 'Medical' } },
  { key: 'contract', label: { zh: '合同债务', en: 'Contracts and debts' } },
  { key: 'other', label: { zh: '其他', en: 'Other' } },
] as const;
export type DisputeType = (typeof DISPUTE_TYPES)[number]['key'];
export const DISPUTE_TYPE_KEYS: readonly DisputeType[] = DISPUTE_TYPES.map((type) => type.key);

/** How a case came in. */
export const DISPUTE_SOURCES = [
  { key: 'patrol', label: { zh: '网格巡查', en: 'Grid patrol' } },
  { key: 'hotline', label: { zh: '12345热线', en: '12345 hotline' } },
  { key: 'police', label: { zh: '110联动', en: '110 referral' } },
  { key: 'petition', label: { zh: '信访', en: 'Petition' } },
  { key: 'walkIn', label: { zh: '来访', en: 'Walk-in' } },
] as const;
export type DisputeSource = (typeof DISPUTE_SOURCES)[number]['key'];
export const DISPUTE_SOURCE_KEYS: readonly DisputeSource[] = DISPUTE_SOURCES.map((source) => source.key);

/** How a closed case ended. */
export const DISPUTE_OUTCOMES = [
  { key: 'mediated', label: { zh: '调解成功', en: 'Mediated' } },
  { key: 'agreement', label: { zh: '协商和解', en: 'Resolved by agreement' } },
  { key: 'referred', label: { zh: '引导诉讼仲裁', en: 'Referred to court or arbitration' } },
  { key: 'transferred', label: { zh: '移交职能部门', en: 'Transferred to a department' } },
  { key: 'withdrawn', label: { zh: '当事人撤回', en: 'Withdrawn' } },
  { key: 'unresolved', label: { zh: '化解未果', en: 'Unresolved' } },
] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number]['key'];
export const DISPUTE_OUTCOME_KEYS: readonly DisputeOutcome[] = DISPUTE_OUTCOMES.map((outcome) => outcome.key);

/**
 * Who performs a workflow step. The first five are the handlers at each handling level (same order as
 * `HANDLING_LEVELS`); dispatchers assign, escalate, reopen and close; reviewers review.
 */
export const DISPUTE_ACTOR_ROLES = [
  { key: 'gridWorker', label: { zh: '网格员', en: 'Grid worker' } },
  { key: 'communityMediator', label: { zh: '社区（村）调解员', en: 'Community mediator' } },
  { key: 'streetCentre', label: { zh: '乡镇（街道）综治中心', en: 'Street governance centre' } },
  { key: 'countyCentre', label: { zh: '县级综治中心', en: 'County governance centre' } },
  { key: 'cityDepartment', label: { zh: '市级及以上部门', en: 'City or higher department' } },
  { key: 'dispatcher', label: { zh: '综治中心调度员', en: 'Dispatcher' } },
  { key: 'reviewer', label: { zh: '复查人员', en: 'Reviewer' } },
  // Appended last: stored steps keep their actor codes.
  { key: 'system', label: { zh: '系统（按规则）', en: 'System (by rule)' } },
] as const;
export type DisputeActorRole = (typeof DISPUTE_ACTOR_ROLES)[number]['key'];
export const DISPUTE_ACTOR_ROLE_KEYS: readonly DisputeActorRole[] = DISPUTE_ACTOR_ROLES.map((role) => role.key);
export const DISPATCHER_ROLE_INDEX = DISPUTE_ACTOR_ROLE_KEYS.indexOf('dispatcher');
export const REVIEWER_ROLE_INDEX = DISPUTE_ACTOR_ROLE_KEYS.indexOf('reviewer');

/** Party roles by position in a case's party list: applicant, respondent, third party. */
export const DISPUTE_PARTY_ROLES = [
  { key: 'applicant', label: { zh: '申请人', en: 'Applicant' } },
  { key: 'respondent', label: { zh: '被申请人', en: 'Respondent' } },
  { key: 'thirdParty', label: { zh: '第三人', en: 'Third party' } },
] as const;
/** The Chinese role names parties are stored with, by position. */
export const DISPUTE_PARTY_ROLES_ZH: readonly string[] = DISPUTE_PARTY_ROLES.map((role) => role.label.zh);

/** The label of a dispute type, source, outcome or actor role by key, in a language (the key itself if unknown). */
export function categoryLabel(list: readonly { key: string; label: Label }[], key: string, lang: Lang): string {
  return list.find((item) => item.key === key)?.label[lang] ?? key;
}
