# PySAL esda peer of `npm run cli -- hotspots --star --weights gal:FILE`: reads the same cells (CSV
# id,count) and GAL neighbours (libpysal), runs esda.G_Local with star=True on binary weights and writes
# id,z (analytic) or id,z,p_sim with permutations (esda shares one set of draws among all cells).
# With warm_runs > 0 prints JSON instead: the load time and that many timings of the statistic alone.
# Usage: python3 esda_gistar.py cells.csv cells.gal out.csv permutations [warm_runs]
import csv
import json
import sys
import time

import esda
import libpysal
import numpy as np


def main():
    cells_path, gal_path, out, permutations = sys.argv[1:5]
    permutations = int(permutations)
    warm_runs = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    started = time.perf_counter()
    with open(cells_path) as f:
        rows = list(csv.DictReader(f))
    ids = [row['id'] for row in rows]
    count_by_id = {row['id']: float(row['count']) for row in rows}
    w = libpysal.io.open(gal_path).read()
    w.transform = 'B'
    # esda reads y in the weights' order.
    y = np.array([count_by_id[str(key)] for key in w.id_order])
    load_ms = (time.perf_counter() - started) * 1000

    def statistic():
        return esda.G_Local(y, w, transform='B', star=True, permutations=permutations, seed=1)

    if warm_runs:
        times = []
        for _ in range(warm_runs):
            started = time.perf_counter()
            statistic()
            times.append((time.perf_counter() - started) * 1000)
        print(json.dumps({'version': esda.__version__, 'python': sys.version.split()[0], 'load_ms': load_ms, 'warm_ms': times}))
        return
    g = statistic()
    order = {str(key): i for i, key in enumerate(w.id_order)}
    with open(out, 'w') as f:
        f.write('id,z,p_sim\n' if permutations else 'id,z\n')
        for key in ids:
            i = order[key]
            f.write(f'{key},{g.Zs[i]!r},{g.p_sim[i]!r}\n' if permutations else f'{key},{g.Zs[i]!r}\n')


main()
