// Workstation coverage per admin unit: communities (社区/村) holding a governance workstation (综治工作站)
// divided by communities, counted by code prefix.

/** Communities and communities with a workstation per unit (index = unit). */
export interface WorkstationCounts {
  communities: Uint32Array;
  withWorkstation: Uint32Array;
}

/**
 * Counts, for each unit code, the communities whose code starts with it and those among them listed
 * in `withWorkstation`. Units of one level never nest, so each community counts once per unit level.
 */
export function countWorkstationCoverage(
  unitCodes: readonly string[],
  communityCodes: readonly string[],
  withWorkstation: ReadonlySet<string>,
): WorkstationCounts {
  const counts: WorkstationCounts = {
    communities: new Uint32Array(unitCodes.length),
    withWorkstation: new Uint32Array(unitCodes.length),
  };
  const lengths = [...new Set(unitCodes.map((code) => code.length))];
  const unitIndex = new Map(unitCodes.map((code, i) => [code, i]));
  for (const community of communityCodes) {
    for (const length of lengths) {
      const u = unitIndex.get(community.slice(0, length));
      if (u === undefined) continue;
      counts.communities[u]! += 1;
      if (withWorkstation.has(community)) counts.withWorkstation[u]! += 1;
    }
  }
  return counts;
}
