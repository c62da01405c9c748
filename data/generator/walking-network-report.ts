// Prints the walking network's size, components, per-city numbers, generation time (median of timed runs
// after a warm-up) and memory on the stand-in districts. Usage:
//   npx tsx data/generator/walking-network-report.ts [databasePath] [seed] [runs]

import { paths } from '../../server/paths';
import { SqliteStore } from '../../server/store/sqlite-store';
import { createRng } from '../../server/analysis/random';
import { EDGE_CLASSES, generateWalkingNetwork, type WalkingNetwork } from './walking-network';
import { loadStandInAreas } from './walking-network-stand-in';

const databasePath = process.argv[2] || paths.databasePath;
const seed = Number(process.argv[3] ?? 20240501);
const runs = Math.max(1, Number(process.argv[4] ?? 3));

const store = new SqliteStore(databasePath);
const areas = loadStandInAreas(store);
store.close();

const megabytes = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MB`;
const before = process.memoryUsage();
const peakBeforeBytes = process.resourceUsage().maxRSS * 1024;
let network: WalkingNetwork = generateWalkingNetwork({ areas, rng: createRng(seed) }); // warm-up
const afterFirst = process.memoryUsage();
const timesMs: number[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  network = generateWalkingNetwork({ areas, rng: createRng(seed) });
  timesMs.push(performance.now() - started);
}
timesMs.sort((a, b) => a - b);

const classCounts = new Array<number>(EDGE_CLASSES.length).fill(0);
for (const c of network.edgeClass) classCounts[c]!++;
let outputBytes = 0;
for (const array of [network.nodeLngLat, network.edgeFrom, network.edgeTo, network.edgeLengthMeters, network.edgeClass, network.edgeArea]) {
  outputBytes += array.byteLength;
}

console.log(`walking network, seed ${seed}, ${areas.length} stand-in areas from ${databasePath}`);
console.log(`  nodes ${network.nodeLngLat.length / 2}, undirected edges ${network.edgeFrom.length}`);
console.log(`  edge classes: ${EDGE_CLASSES.map((name, c) => `${name} ${classCounts[c]}`).join(', ')}`);
console.log(`  components: ${JSON.stringify(network.components)}`);
for (const city of network.cities ?? []) {
  console.log(
    `  city ${city.cityCode}: ${city.nodeCount} nodes, ${city.edgeCount} edges, ${city.areaKm2.toFixed(0)} km² ` +
      `(${(city.edgeCount / city.areaKm2).toFixed(1)} edges/km²), crossings per barrier ${JSON.stringify(city.crossingsByBarrier)}, ` +
      `components ${JSON.stringify(city.components)}`,
  );
}
for (const barrier of network.barriers) {
  console.log(`  barrier ${barrier.cityCode} ${barrier.kind} ${barrier.name}: ${barrier.coordinates.length} vertices`);
}
console.log(
  `  generation: median ${timesMs[Math.floor(timesMs.length / 2)]!.toFixed(0)} ms, ` +
    `min ${timesMs[0]!.toFixed(0)} ms, max ${timesMs[timesMs.length - 1]!.toFixed(0)} ms over ${runs} runs after a warm-up`,
);
console.log(
  `  memory: peak RSS ${megabytes(process.resourceUsage().maxRSS * 1024)} (whole process; ${megabytes(peakBeforeBytes)} ` +
    `before generating, with the store and Turf loaded), ` +
    `heap growth over the first run ${megabytes(afterFirst.heapUsed - before.heapUsed)}, ` +
    `typed arrays ${megabytes(afterFirst.arrayBuffers - before.arrayBuffers)}, output arrays ${megabytes(outputBytes)}`,
);
