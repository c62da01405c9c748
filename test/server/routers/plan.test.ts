// plan.* through createCaller on the Shenyang test database: optimisation for each objective (coverage
// before/after, marginal gains that add up, bound and gap), what-if evaluation consistent with the
// optimiser's numbers, exports, and the errors bad input gets.

import { inflateRawSync } from 'node:zlib';
import { ZodError } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../../server/routers/app';
import { createCallerFactory, describeZodError } from '../../../server/trpc';
import { openTestStore } from '../../support/store';
import { errorOf } from '../../support/trpc-errors';
import { testContext } from '../../support/context';

const store = openTestStore();
const caller = createCallerFactory(appRouter)(testContext(store));

afterAll(() => store.close());


// 和平区 (Heping, urban Shenyang): a county-sized, meeting-sized question.
const COUNTY = '210102';
const base = { kind: 'health_station', maxMinutes: 15, within: COUNTY, candidates: 'grid-centroids' } as const;

describe('plan.optimize', () => {
  it('MCLP: proposals whose marginal gains add up to the coverage change, with a bound and gap', async () => {
    const result = await caller.plan.optimize({ ...base, objective: 'mclp', newSites: 5 });
    // Heping lies inside the demonstration walking network: network travel times, straight-line × 1.3 off it.
    expect(result.travel).toMatchObject({ method: 'network', detourFactor: 1.3, speedKmh: 4 });
    expect(result.travel.label.zh).toContain('步行路网');
    expect(result.population).toBeGreaterThan(100_000);
    expect(result.existingCount).toBeGreaterThan(0);
    expect(result.proposals.map((p) => p.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(result.before.coverageRate).toBeGreaterThanOrEqual(0);
    expect(result.after.coverageRate).toBeLessThanOrEqual(1);
    const gained = result.proposals.reduce((sum, p) => sum + p.marginalPopulation, 0);
    expect(result.after.coveredPopulation - result.before.coveredPopulation).toBeCloseTo(gained, 6);
    expect(result.proposals.at(-1)!.cumulativeCoveredPopulation).toBeCloseTo(result.after.coveredPopulation, 6);
    // Ranked by what each adds: non-increasing gains.
    for (let k = 1; k < result.proposals.length; k++) expect(result.proposals[k]!.marginalPopulation).toBeLessThanOrEqual(result.proposals[k - 1]!.marginalPopulation + 1e-9);
    const { optimality } = result;
    expect(optimality.measure).toBe('newly covered residents');
    expect(optimality.value).toBeCloseTo(gained, 6);
    expect(optimality.bound).toBeGreaterThanOrEqual(optimality.value - 1e-6);
    // However little time the bounds get, greedy's guarantee caps the gap at 1/(1 − 1/e) − 1 ≈ 58 %.
    expect(optimality.gap).toBeGreaterThanOrEqual(0);
    expect(optimality.gap).toBeLessThanOrEqual(1 / (1 - 1 / Math.E) - 1 + 1e-9);
    expect(optimality.gap).toBeCloseTo(optimality.provedOptimal ? 0 : (optimality.bound - optimality.value) / optimality.value, 9);
    expect(result.feasible).toBe(true);
  });

  it('LSCP: the fewest sites reaching a target coverage rate', async () => {
    const now = await caller.plan.optimize({ ...base, objective: 'mclp', newSites: 1 });
    const targetRate = Math.min(0.99, Math.ceil((now.before.coverageRate + 0.03) * 100) / 100);
    const result = await caller.plan.optimize({ ...base, objective: 'lscp', targetRate });
    expect(result.feasible).toBe(true);
    expect(result.after.coverageRate).toBeGreaterThanOrEqual(targetRate - 1e-9);
    expect(result.optimality.measure).toBe('new sites');
    expect(result.optimality.value).toBe(result.proposals.length);
    expect(result.optimality.bound).toBeLessThanOrEqual(result.proposals.length);
    expect(result.optimality.bound).toBeGreaterThanOrEqual(1);
  });

  it('proves a small question optimal with the exact method', async () => {
    const result = await caller.plan.optimize({ ...base, within: '210102001', objective: 'mclp', newSites: 2, method: 'exact' });
    expect(result.optimality.provedOptimal).toBe(true);
    expect(result.optimality.gap).toBe(0);
    expect(result.optimality.bound).toBe(result.optimality.value);
  });

  it('p-median and p-center on a street: mean and worst walking time fall', async () => {
    const street = { ...base, within: '210102001', kind: 'elder_day_care' } as const;
    const median = await caller.plan.optimize({ ...street, objective: 'pmedian', newSites: 2 });
    expect(median.optimality.measure).toBe('person-minutes');
    expect(median.after.meanMinutes).toBeLessThan(median.before.meanMinutes);
    expect(median.optimality.value).toBeCloseTo(median.after.meanMinutes * median.population, 3);
    expect(median.optimality.bound).toBeLessThanOrEqual(median.optimality.value + 1e-6);
    const center = await caller.plan.optimize({ ...street, objective: 'pcenter', newSites: 2 });
    expect(center.optimality.measure).toBe('minutes');
    expect(center.after.worstMinutes).toBeLessThanOrEqual(center.before.worstMinutes);
    expect(center.optimality.value).toBeCloseTo(center.after.worstMinutes, 9);
    expect(center.after.worstMinutes).toBeLessThanOrEqual(15);
  });

  it('takes the user’s own candidate points and network nodes', async () => {
    const grid = await caller.plan.optimize({ ...base, objective: 'mclp', newSites: 3 });
    const points = grid.proposals.map((p) => p.lngLat);
    const own = await caller.plan.optimize({ ...base, objective: 'mclp', newSites: 3, candidates: { points } });
    expect(own.candidateSource).toBe('points');
    expect(own.after.coveredPopulation).toBeCloseTo(grid.after.coveredPopulation, 6);
    const nodes = await caller.plan.optimize({ ...base, objective: 'mclp', newSites: 3, candidates: 'network-nodes', method: 'heuristic' });
    expect(nodes.candidateCount).toBeGreaterThan(10);
    expect(nodes.after.coveredPopulation).toBeGreaterThan(nodes.before.coveredPopulation);
  });

  it('refuses bad input, naming the field', async () => {
    const missing = await errorOf(caller.plan.optimize({ ...base, objective: 'mclp' }));
    expect(missing.code).toBe('BAD_REQUEST');
    expect(missing.message).toMatch(/^newSites: /);
    const noTarget = await errorOf(caller.plan.optimize({ ...base, objective: 'lscp' }));
    expect(noTarget.message).toMatch(/^targetRate: /);
    const unknown = await errorOf(caller.plan.optimize({ ...base, within: '210199', objective: 'mclp', newSites: 2 }));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toMatch(/^within: /);
    const extra = await errorOf(caller.plan.optimize({ ...base, objective: 'mclp', newSites: 2, radius: 3 } as never));
    expect(extra.code).toBe('BAD_REQUEST');
    expect(extra.cause).toBeInstanceOf(ZodError);
    const minutes = await errorOf(caller.plan.optimize({ ...base, objective: 'mclp', newSites: 2, maxMinutes: 120 }));
    expect(describeZodError(minutes.cause as ZodError)).toMatch(/^maxMinutes: /);
    // 丁家房镇, a rural town of Faku county: the walking network covers the urban area only.
    const noNetwork = await errorOf(caller.plan.optimize({ ...base, within: '210124107', objective: 'mclp', newSites: 2, candidates: 'network-nodes' }));
    expect(noNetwork.code).toBe('BAD_REQUEST');
    expect(noNetwork.message).toMatch(/^candidates: /);
  });
});

describe('plan.evaluate', () => {
  it('agrees with the optimiser: adding the best proposal gains its marginal population', async () => {
    const result = await caller.plan.optimize({ ...base, objective: 'mclp', newSites: 5 });
    const first = result.proposals[0]!;
    const evaluation = await caller.plan.evaluate({ kind: base.kind, maxMinutes: 15, within: COUNTY, add: [first.lngLat] });
    expect(evaluation.before.coveredPopulation).toBeCloseTo(result.before.coveredPopulation, 6);
    expect(evaluation.delta.coveredPopulation).toBeCloseTo(first.marginalPopulation, 6);
    expect(evaluation.added[0]!.gainedPopulation).toBeCloseTo(first.marginalPopulation, 6);
    const all = await caller.plan.evaluate({ kind: base.kind, maxMinutes: 15, within: COUNTY, add: result.proposals.map((p) => p.lngLat) });
    expect(all.after.coveredPopulation).toBeCloseTo(result.after.coveredPopulation, 6);
  });

  it('removes existing facilities, and leaves the state unchanged for the next call', async () => {
    const facilities = await caller.geo.facilities({ kinds: ['health_station'], within: COUNTY });
    const facility = facilities.features[0]!;
    const id = facility.properties.id;
    const removal = await caller.plan.evaluate({ kind: 'health_station', maxMinutes: 15, within: COUNTY, remove: [id] });
    expect(removal.delta.coveredPopulation).toBeLessThanOrEqual(0);
    expect(removal.removed[0]).toMatchObject({ id, lostPopulation: -removal.delta.coveredPopulation });
    // Removing a facility and adding one at the same place changes nothing.
    const moved = await caller.plan.evaluate({
      kind: 'health_station',
      maxMinutes: 15,
      within: COUNTY,
      remove: [id],
      add: [facility.geometry.coordinates as [number, number]],
    });
    expect(moved.delta.coveredPopulation).toBeCloseTo(0, 6);
    const again = await caller.plan.evaluate({ kind: 'health_station', maxMinutes: 15, within: COUNTY });
    expect(again.after.coveredPopulation).toBe(removal.before.coveredPopulation);
  });

  it('refuses facilities it does not know', async () => {
    const error = await errorOf(caller.plan.evaluate({ kind: 'health_station', maxMinutes: 15, within: COUNTY, remove: [999_999_999] }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/^remove\.0: /);
  });
});

describe('plan.export', () => {
  const request = { ...base, objective: 'mclp', newSites: 3 } as const;

  it('writes CSV with a header per language and one row per proposal', async () => {
    const zh = await caller.plan.export({ ...request, format: 'csv' });
    expect(zh.mimeType).toMatch(/^text\/csv/);
    const lines = zh.content.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('序号,经度,纬度,候选点,新增覆盖人口,累计覆盖人口,目标改善量');
    expect(lines).toHaveLength(4);
    const en = await caller.plan.export({ ...request, format: 'csv', lang: 'en' });
    expect(en.content.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('rank,lng,lat,candidate,marginal_population,cumulative_covered_population,marginal_objective');
  });

  it('writes GeoJSON with proposals and existing facilities', async () => {
    const file = await caller.plan.export({ ...request, format: 'geojson' });
    const collection = JSON.parse(file.content) as { type: string; features: { properties: { role: string } }[]; siting: { objective: string } };
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.siting.objective).toBe('mclp');
    expect(collection.features.filter((f) => f.properties.role === 'proposal')).toHaveLength(3);
    expect(collection.features.some((f) => f.properties.role === 'existing')).toBe(true);
  });

  it('writes an Excel workbook (a zip with the two sheets)', async () => {
    const file = await caller.plan.export({ ...request, format: 'xlsx' });
    expect(file.encoding).toBe('base64');
    const bytes = Buffer.from(file.content, 'base64');
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(bytes.includes(Buffer.from('xl/worksheets/sheet2.xml'))).toBe(true);
    // The shared strings (compressed) hold the Chinese header.
    const text = zipEntryText(bytes, 'xl/sharedStrings.xml');
    expect(text).toContain('新增覆盖人口');
  });
});

/** The text of one entry of a zip file, found through its central directory (APPNOTE 4.3). */
function zipEntryText(zip: Buffer, name: string): string {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip file');
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let k = 0; k < entries; k++) {
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const entryName = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (entryName === name) {
      const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
      const data = zip.subarray(dataStart, dataStart + compressedSize);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} not found in the zip`);
}
