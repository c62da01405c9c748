// The briefing's narrative (brief.narrative): a paragraph in Chinese or English stating the situation of a
// unit and period from the same figures as its KPI cards — which KPIs miss their targets, the 15-minute
// health circle for urban and rural residents, disputes against the period before and a year earlier,
// the children where disputes rose most, and the boundary lines due a joint patrol. Templates, no
// language model: every number written is a fact returned beside the text (its value and how it is
// written), and every place named is listed, so a reader (or a test) can check the text against the API.

import { MS_PER_DAY, chinaDateOf, chinaDayNumber, isCalendarDate, type CalendarDate } from '../domain/china-time';
import type { BoundaryLevel } from '../domain/admin-codes';
import { boundaryRecordsById, withBoundaryRecords, type BoundaryLineRecords } from '../domain/boundary-records';
import { HEALTH_CIRCLE } from '../domain/kpis';
import type { Lang } from '../domain/labels';
import { briefKpis, childrenOf, reportedByChild, type BriefCard, type BriefInput } from './brief';
import type { JobEnv } from './job-env';

/** Days within which a boundary line should have had a joint patrol. */
export const JOINT_PATROL_DAYS = 90;
/** Children named where disputes rose most; boundary lines named as due a patrol. */
const MAX_NAMED = 3;

export interface BriefNarrativeInput extends BriefInput {
  lang: Lang;
  /** Patrols and agreements recorded by officers (boundaries.*): the lines' effective status. */
  records?: BoundaryLineRecords[];
}

/** A number (or date) the text writes: its value as the API gives it and how the text writes it. */
export interface NarrativeFact {
  id: string;
  /** The value as the other procedures answer it (a share in [0, 1], a count, a 'YYYY-MM-DD' date). */
  value: number | string;
  /** Exactly as it appears in the text ("82.3%", "1,234", "2026年12月1日"). */
  text: string;
}

export interface BriefNarrativeAnswer {
  within: string;
  name: string;
  lang: Lang;
  text: string;
  facts: NarrativeFact[];
  /**
   * Every place the text names (names may hold digits: "第3网格"); `acrossBoundary`: a neighbour outside
   * the unit, named only as the far side of one of its boundary lines.
   */
  places: NarrativePlace[];
}

const LOCALE: Record<Lang, string> = { zh: 'zh-CN', en: 'en-GB' };

/** Lines a narrative looks at: those between the unit's children, with its own edge (as the briefing's boundary panel). */
export function narrativeBoundaryArea(code: string): { within: string; levels: BoundaryLevel[] } {
  switch (code.length) {
    case 2:
      return { within: code, levels: ['city'] };
    case 4:
      return { within: code, levels: ['city', 'county'] };
    case 6:
      return { within: code, levels: ['county', 'street'] };
    default:
      return { within: code.slice(0, 9), levels: ['street'] };
  }
}

export interface NarrativePlace {
  code: string;
  name: string;
  acrossBoundary?: true;
}

/** Collects facts as the text is written. */
class Writer {
  readonly facts: NarrativeFact[] = [];
  readonly places = new Map<string, NarrativePlace>();
  private readonly percent: Intl.NumberFormat;
  private readonly wholePercent: Intl.NumberFormat;
  private readonly integer: Intl.NumberFormat;

  constructor(readonly lang: Lang) {
    const locale = LOCALE[lang];
    this.percent = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
    this.wholePercent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    this.integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  }

  private fact(id: string, value: number | string, text: string): string {
    const known = this.facts.find((fact) => fact.id === id);
    if (!known) this.facts.push({ id, value, text });
    return text;
  }

  share(id: string, value: number): string {
    return this.fact(id, value, this.percent.format(value));
  }

  /** A target share ("82%", "90%"): whole percent unless it has a fraction. */
  targetShare(id: string, value: number): string {
    return this.fact(id, value, this.wholePercent.format(value));
  }

  count(id: string, value: number): string {
    return this.fact(id, value, this.integer.format(value));
  }

  /** A China-time calendar day ("2026年12月1日", "1 Dec 2026"); `short` drops the year (zh: "12月7日"). */
  date(id: string, date: CalendarDate, short = false): string {
    const key = `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
    const text =
      this.lang === 'zh'
        ? `${short ? '' : `${date.year}年`}${date.month}月${date.day}日`
        : new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', ...(short ? {} : { year: 'numeric' }), timeZone: 'UTC' }).format(
            Date.UTC(date.year, date.month - 1, date.day),
          );
    return this.fact(id, key, text);
  }

  place(code: string, name: string, acrossBoundary = false): string {
    if (!this.places.has(code)) this.places.set(code, acrossBoundary ? { code, name, acrossBoundary: true } : { code, name });
    return name;
  }
}

type Cards = Partial<Record<BriefCard['id'], BriefCard>>;

const join = (lang: Lang, items: string[]): string => {
  if (lang === 'zh') return items.join('、');
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
};

/** The KPIs with a target: those missed, then those met, each with its value and target. */
function targetsSentence(w: Writer, cards: Cards): string | null {
  const missed: string[] = [];
  const met: string[] = [];
  for (const id of ['workstationCoverage', 'healthStandardised', 'disputeResolution', 'inGridResolution', 'overdueCases'] as const) {
    const card = cards[id];
    if (!card || card.target === null || card.value === null || card.status === null) continue;
    const label = card.label[w.lang];
    const baseline = id === 'workstationCoverage';
    let item: string;
    if (card.unit === 'cases') {
      const value = w.count(`kpi.${id}.value`, card.value);
      const target = w.count(`kpi.${id}.target`, card.target);
      item = w.lang === 'zh' ? `${label}${value}件（目标${target}件）` : `${label.toLowerCase()} ${value} (target ${target})`;
    } else {
      const value = w.share(`kpi.${id}.value`, card.value);
      const target = w.targetShare(`kpi.${id}.target`, card.target);
      item =
        w.lang === 'zh'
          ? `${label}${value}（${baseline ? '基线' : '目标'}${target}）`
          : `${label.toLowerCase()} ${value} (${baseline ? 'baseline' : 'target'} ${target})`;
    }
    (card.status === 'green' ? met : missed).push(item);
  }
  if (missed.length === 0 && met.length === 0) return null;
  if (w.lang === 'zh') {
    const parts: string[] = [];
    if (missed.length > 0) parts.push(`未达目标的有${join('zh', missed)}`);
    if (met.length > 0) parts.push(`${missed.length > 0 ? '' : '各项指标均达到目标：'}${join('zh', met)}${missed.length > 0 ? '达到目标' : ''}`);
    return `${parts.join('；')}。`;
  }
  const parts: string[] = [];
  if (missed.length > 0) parts.push(`Below target: ${join('en', missed)}`);
  if (met.length > 0) parts.push(`${missed.length > 0 ? 'on target: ' : 'Every KPI is on target: '}${join('en', met)}`);
  return `${parts.join('; ')}.`;
}

/** The 15-minute health circle for urban and rural residents (no target: the figures only). */
function healthCircleSentence(w: Writer, cards: Cards): string | null {
  const urban = cards.healthCircleUrban?.value ?? null;
  const rural = cards.healthCircleRural?.value ?? null;
  if (urban === null && rural === null) return null;
  const urbanText = urban === null ? null : w.share('kpi.healthCircleUrban.value', urban);
  const ruralText = rural === null ? null : w.share('kpi.healthCircleRural.value', rural);
  const minutes = w.count('healthCircle.minutes', HEALTH_CIRCLE.maxMinutes);
  if (w.lang === 'zh') {
    const parts = [urbanText && `城镇居民的${urbanText}`, ruralText && `农村居民的${ruralText}`].filter((part): part is string => part !== null);
    return `${minutes}分钟健康服务圈覆盖${parts.join('、')}。`;
  }
  const parts = [urbanText && `${urbanText} of urban residents`, ruralText && `${ruralText} of rural residents`].filter((part): part is string => part !== null);
  return `The ${minutes}-minute health circle covers ${join('en', parts)}.`;
}

/** "比上期增加56件（上期1,178件）" for a count against an earlier one. */
function countChange(w: Writer, id: string, current: number, earlier: number, zhWhen: string, enWhen: string): string {
  const before = w.count(`${id}`, earlier);
  const difference = current - earlier;
  if (difference === 0) return w.lang === 'zh' ? `与${zhWhen}持平（${before}件）` : `as many as ${enWhen} (${before})`;
  const by = w.count(`${id}.change`, Math.abs(difference));
  if (w.lang === 'zh') return `比${zhWhen}${difference > 0 ? '增加' : '减少'}${by}件（${zhWhen}${before}件）`;
  return `${by} ${difference > 0 ? 'more' : 'fewer'} than ${enWhen} (${before})`;
}

/** Disputes reported against the period before and a year earlier; resolution and in-grid shares. */
function disputesSentence(w: Writer, cards: Cards): string | null {
  const reported = cards.disputesReported;
  if (!reported || reported.value === null) return null;
  const count = w.count('kpi.disputesReported.value', reported.value);
  const changes: string[] = [];
  if (reported.previous !== null) changes.push(countChange(w, 'kpi.disputesReported.previous', reported.value, reported.previous, '上期', 'the period before'));
  if (reported.lastYear !== null) changes.push(countChange(w, 'kpi.disputesReported.lastYear', reported.value, reported.lastYear, '去年同期', 'a year earlier'));
  const resolution = cards.disputeResolution?.value ?? null;
  const inGrid = cards.inGridResolution?.value ?? null;
  // Shares already written with their targets are not repeated.
  const resolutionText = resolution === null || cards.disputeResolution?.target !== null ? null : w.share('kpi.disputeResolution.value', resolution);
  const inGridText = inGrid === null || cards.inGridResolution?.target !== null ? null : w.share('kpi.inGridResolution.value', inGrid);
  if (w.lang === 'zh') {
    let sentence = `期内登记矛盾纠纷${count}件`;
    if (changes.length > 0) sentence += `，${changes.join('，')}`;
    const shares = [resolutionText && `化解率${resolutionText}`, inGridText && `已办结案件中网格内化解${inGridText}`].filter((part): part is string => part !== null);
    if (shares.length > 0) sentence += `；${shares.join('，')}`;
    return `${sentence}。`;
  }
  let sentence = `${count} disputes were reported`;
  if (changes.length > 0) sentence += `, ${changes.join(' and ')}`;
  const shares = [resolutionText && `${resolutionText} of them are resolved`, inGridText && `${inGridText} of those closed were resolved in the grid`].filter(
    (part): part is string => part !== null,
  );
  if (shares.length > 0) sentence += `; ${shares.join(', ')}`;
  return `${sentence}.`;
}

const CHILD_WORD: Record<string, { zh: string; en: string }> = {
  city: { zh: '市', en: 'cities' },
  county: { zh: '县（市、区）', en: 'counties' },
  street: { zh: '乡镇（街道）', en: 'streets' },
  community: { zh: '社区（村）', en: 'communities' },
  grid: { zh: '网格', en: 'grids' },
};

/** The children where reported disputes rose most against the period before. */
function roseSentence(env: JobEnv, w: Writer, input: BriefNarrativeInput, previousFrom: number | null): string | null {
  if (previousFrom === null) return null;
  const unit = env.store.adminUnit(input.within);
  if (!unit) return null;
  const { level, units } = childrenOf(env, unit);
  if (units.length === 0) return null;
  const now = reportedByChild(env, unit, { from: input.from, to: input.to });
  const before = reportedByChild(env, unit, { from: previousFrom, to: input.from });
  const rises = units
    .map(({ code, name }) => ({ code, name, current: now.get(code) ?? 0, previous: before.get(code) ?? 0 }))
    .filter((row) => row.current > row.previous)
    .sort((a, b) => b.current - b.previous - (a.current - a.previous) || a.code.localeCompare(b.code))
    .slice(0, MAX_NAMED);
  const word = CHILD_WORD[level]!;
  if (rises.length === 0) return w.lang === 'zh' ? `各${word.zh}登记数均未比上期上升。` : `Reports rose in none of the ${word.en}.`;
  const items = rises.map((row) => {
    const name = w.place(row.code, row.name);
    const from = w.count(`rose.${row.code}.previous`, row.previous);
    const to = w.count(`rose.${row.code}.current`, row.current);
    return w.lang === 'zh' ? `${name}（由${from}件增至${to}件）` : `${name} (from ${from} to ${to})`;
  });
  return w.lang === 'zh' ? `登记数比上期上升最多的${word.zh}是${join('zh', items)}。` : `Reports rose most in ${join('en', items)}.`;
}

/** A 'YYYY-MM-DD…' day of a line's last joint patrol, or null when it is missing or malformed. */
function patrolDay(lastJointPatrol: string | null): CalendarDate | null {
  const match = lastJointPatrol === null ? null : /^(\d{4})-(\d{2})-(\d{2})/.exec(lastJointPatrol);
  if (!match) return null;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isCalendarDate(date) ? date : null;
}

const dayNumberOf = ({ year, month, day }: CalendarDate): number => Date.UTC(year, month - 1, day) / MS_PER_DAY;

/** Boundary lines between neighbours without a joint patrol in 90 days or without a signed agreement. */
function boundarySentence(env: JobEnv, w: Writer, input: BriefNarrativeInput, lastDay: CalendarDate): string | null {
  const area = narrativeBoundaryArea(input.within);
  const records = boundaryRecordsById(input.records);
  const lines = area.levels
    .flatMap((level) => env.store.boundaryLines({ level, withinCode: area.within, band: 0 }))
    // Lines on the province's outer edge have no neighbour in the data to patrol with.
    .filter((line) => line.rightCode !== null)
    .map((line) => withBoundaryRecords(line, records));
  if (lines.length === 0) return null;
  const asOfDay = dayNumberOf(lastDay);
  const due = lines
    .map((line) => ({ line, patrolled: patrolDay(line.lastJointPatrol) }))
    .filter(({ patrolled }) => patrolled === null || asOfDay - dayNumberOf(patrolled) > JOINT_PATROL_DAYS)
    .sort(
      (a, b) =>
        (a.patrolled === null ? -Infinity : dayNumberOf(a.patrolled)) - (b.patrolled === null ? -Infinity : dayNumberOf(b.patrolled)) ||
        b.line.lengthMeters - a.line.lengthMeters ||
        a.line.id.localeCompare(b.line.id),
    );
  const unsigned = lines.filter((line) => line.agreementSigned === false).length;
  const total = w.count('boundary.lines', lines.length);
  const days = w.count('boundary.patrolDays', JOINT_PATROL_DAYS);
  const dueCount = w.count('boundary.patrolDue', due.length);
  const unsignedCount = w.count('boundary.noAgreement', unsigned);
  const named = due.slice(0, MAX_NAMED).map(({ line, patrolled }) => {
    const left = w.place(line.leftCode, line.leftName, !line.leftCode.startsWith(input.within));
    const right = w.place(line.rightCode!, line.rightName ?? '', !line.rightCode!.startsWith(input.within));
    const when =
      patrolled === null
        ? w.lang === 'zh'
          ? '从未联合巡逻'
          : 'never patrolled'
        : w.lang === 'zh'
          ? `上次巡逻${w.date(`boundary.${line.id}.lastPatrol`, patrolled)}`
          : `last patrolled ${w.date(`boundary.${line.id}.lastPatrol`, patrolled)}`;
    return w.lang === 'zh' ? `${left}—${right}（${when}）` : `${left}–${right} (${when})`;
  });
  if (w.lang === 'zh') {
    let sentence = `辖区${total}条边界线中，${dueCount}条${days}天内未开展联合巡逻，${unsignedCount}条未签订平安边界协议`;
    if (named.length > 0) sentence += `；需尽快联合巡逻的有${join('zh', named)}`;
    return `${sentence}。`;
  }
  let sentence = `Of ${total} boundary lines, ${dueCount} had no joint patrol in ${days} days and ${unsignedCount} have no safe-boundary agreement`;
  if (named.length > 0) sentence += `; patrol first ${join('en', named)}`;
  return `${sentence}.`;
}

/** The narrative of a unit and period in one language, with its facts. */
export function briefNarrative(env: JobEnv, input: BriefNarrativeInput): BriefNarrativeAnswer {
  const answer = briefKpis(env, input);
  const cards: Cards = Object.fromEntries(answer.cards.map((card) => [card.id, card]));
  const w = new Writer(input.lang);
  const name = w.place(answer.within, answer.name);
  // The period as far as it has run: to its end, or to today.
  const first = chinaDateOf(input.from);
  const last = chinaDateOf(Math.max(input.from, Math.min(input.to, env.nowMs) - 1));
  const sameYear = first.year === last.year;
  const oneDay = chinaDayNumber(input.from) === chinaDayNumber(Math.max(input.from, Math.min(input.to, env.nowMs) - 1));
  const fromText = w.date('period.from', first);
  const toText = oneDay ? null : w.date('period.to', last, w.lang === 'zh' && sameYear);
  const opening =
    w.lang === 'zh'
      ? `${name}${toText ? `${fromText}至${toText}` : fromText}：`
      : `${name}, ${toText ? `${fromText} – ${toText}` : fromText}: `;
  const previousFrom = answer.previousPeriod.recorded ? answer.previousPeriod.from : null;
  const sentences = [
    targetsSentence(w, cards),
    healthCircleSentence(w, cards),
    disputesSentence(w, cards),
    roseSentence(env, w, input, previousFrom),
    boundarySentence(env, w, input, last),
  ].filter((sentence): sentence is string => sentence !== null);
  const text = opening + sentences.join(w.lang === 'zh' ? '' : ' ');
  return {
    within: answer.within,
    name: answer.name,
    lang: input.lang,
    text,
    facts: w.facts,
    places: [...w.places.values()],
  };
}
