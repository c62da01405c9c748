// Dispute vocabularies with Chinese labels: types (矛盾纠纷类型), sources (来源), outcomes (化解结果) and
// the roles that act on a case. Columnar data stores the index into these lists.

/** Dispute types. Rural places have more land and boundary disputes, towns more property, consumer and wage disputes. */
export const DISPUTE_TYPES = [
  { key: 'family', labelZh: '婚姻家庭', labelEn: 'Marriage and family' },
  { key: 'neighbour', labelZh: '邻里纠纷', labelEn: 'Neighbours' },
  { key: 'property', labelZh: '物业管理', labelEn: 'Property management' },
  { key: 'wages', labelZh: '劳资纠纷', labelEn: 'Wages and labour' },
  { key: 'land', labelZh: '土地征迁', labelEn: 'Land acquisition and resettlement' },
  { key: 'boundary', labelZh: '山林土地界址', labelEn: 'Land and forest boundaries' },
  { key: 'consumer', labelZh: '消费纠纷', labelEn: 'Consumer' },
  { key: 'traffic', labelZh: '交通事故', labelEn: 'Traffic accidents' },
  { key: 'medical', labelZh: '医疗纠纷', labelEn: 'Medical' },
  { key: 'contract', labelZh: '合同债务', labelEn: 'Contracts and debts' },
  { key: 'other', labelZh: '其他', labelEn: 'Other' },
] as const;
export type DisputeType = (typeof DISPUTE_TYPES)[number]['key'];
export const DISPUTE_TYPE_KEYS: readonly DisputeType[] = DISPUTE_TYPES.map((type) => type.key);

/** How a case came in. */
export const DISPUTE_SOURCES = [
  { key: 'patrol', labelZh: '网格巡查', labelEn: 'Grid patrol' },
  { key: 'hotline', labelZh: '12345热线', labelEn: '12345 hotline' },
  { key: 'police', labelZh: '110联动', labelEn: '110 referral' },
  { key: 'petition', labelZh: '信访', labelEn: 'Petition' },
  { key: 'walkIn', labelZh: '来访', labelEn: 'Walk-in' },
] as const;
export type DisputeSource = (typeof DISPUTE_SOURCES)[number]['key'];
export const DISPUTE_SOURCE_KEYS: readonly DisputeSource[] = DISPUTE_SOURCES.map((source) => source.key);

/** How a closed case ended. */
export const DISPUTE_OUTCOMES = [
  { key: 'mediated', labelZh: '调解成功', labelEn: 'Mediated' },
  { key: 'agreement', labelZh: '协商和解', labelEn: 'Resolved by agreement' },
  { key: 'referred', labelZh: '引导诉讼仲裁', labelEn: 'Referred to court or arbitration' },
  { key: 'transferred', labelZh: '移交职能部门', labelEn: 'Transferred to a department' },
  { key: 'withdrawn', labelZh: '当事人撤回', labelEn: 'Withdrawn' },
  { key: 'unresolved', labelZh: '化解未果', labelEn: 'Unresolved' },
] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number]['key'];
export const DISPUTE_OUTCOME_KEYS: readonly DisputeOutcome[] = DISPUTE_OUTCOMES.map((outcome) => outcome.key);

/**
 * Who performs a workflow step. The first five are the handlers at each handling level (same order as
 * `HANDLING_LEVELS`); dispatchers assign, escalate, reopen and close; reviewers review.
 */
export const DISPUTE_ACTOR_ROLES = [
  { key: 'gridWorker', labelZh: '网格员', labelEn: 'Grid worker' },
  { key: 'communityMediator', labelZh: '社区（村）调解员', labelEn: 'Community mediator' },
  { key: 'streetCentre', labelZh: '乡镇（街道）综治中心', labelEn: 'Street governance centre' },
  { key: 'countyCentre', labelZh: '县级综治中心', labelEn: 'County governance centre' },
  { key: 'cityDepartment', labelZh: '市级及以上部门', labelEn: 'City or higher department' },
  { key: 'dispatcher', labelZh: '综治中心调度员', labelEn: 'Dispatcher' },
  { key: 'reviewer', labelZh: '复查人员', labelEn: 'Reviewer' },
] as const;
export type DisputeActorRole = (typeof DISPUTE_ACTOR_ROLES)[number]['key'];
export const DISPUTE_ACTOR_ROLE_KEYS: readonly DisputeActorRole[] = DISPUTE_ACTOR_ROLES.map((role) => role.key);
export const DISPATCHER_ROLE_INDEX = DISPUTE_ACTOR_ROLE_KEYS.indexOf('dispatcher');
export const REVIEWER_ROLE_INDEX = DISPUTE_ACTOR_ROLE_KEYS.indexOf('reviewer');

/** Party roles by position in a case's party list (申请人, 被申请人, 第三人). */
export const DISPUTE_PARTY_ROLES_ZH = ['申请人', '被申请人', '第三人'] as const;

/** The label of a dispute type, source, outcome or actor role by key, in a language (the key itself if unknown). */
export function categoryLabel(
  list: readonly { key: string; labelZh: string; labelEn: string }[],
  key: string,
  lang: 'zh' | 'en',
): string {
  const entry = list.find((item) => item.key === key);
  return entry ? (lang === 'zh' ? entry.labelZh : entry.labelEn) : key;
}
