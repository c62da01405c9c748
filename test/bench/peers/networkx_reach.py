# NetworkX peer of `npm run cli -- reach --mode nearest`: reads the same road GeoJSON (two-point
# LineStrings with their length in metres in a property; vertices shared by exact coordinates; every
# edge two-way, the cheaper of parallel edges kept) and the same origins CSV (id,lon,lat, each on a
# vertex), runs one multi_source_dijkstra_path_length with the cutoff and writes lon,lat,cost per vertex.
# With warm_runs, prints JSON instead: the load time and that many timings of the search alone.
# Usage: python3 networkx_reach.py network.geojson origins.csv cutoff_m length_property out.csv [warm_runs]
import csv
import json
import sys
import time

import networkx as nx


def load_graph(path, length_property):
    with open(path) as f:
        collection = json.load(f)
    graph = nx.Graph()
    for feature in collection['features']:
        coordinates = feature['geometry']['coordinates']
        a = (float(coordinates[0][0]), float(coordinates[0][1]))
        b = (float(coordinates[-1][0]), float(coordinates[-1][1]))
        weight = float(feature['properties'][length_property])
        if a == b or (graph.has_edge(a, b) and graph[a][b]['weight'] <= weight):
            continue
        graph.add_edge(a, b, weight=weight)
    return graph


def load_origins(path, graph):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    origins = {(float(row['lon']), float(row['lat'])) for row in rows}
    missing = [origin for origin in origins if origin not in graph]
    if missing:
        sys.exit(f'{path}: {len(missing)} origins are not on a network vertex, e.g. {missing[0]}')
    return origins


def main():
    network, origins_path, cutoff, length_property, out = sys.argv[1:6]
    warm_runs = int(sys.argv[6]) if len(sys.argv) > 6 else 0
    started = time.perf_counter()
    graph = load_graph(network, length_property)
    origins = load_origins(origins_path, graph)
    load_ms = (time.perf_counter() - started) * 1000
    if warm_runs:
        nx.multi_source_dijkstra_path_length(graph, origins, cutoff=float(cutoff), weight='weight')
        warm_ms = []
        for _ in range(warm_runs):
            started = time.perf_counter()
            nx.multi_source_dijkstra_path_length(graph, origins, cutoff=float(cutoff), weight='weight')
            warm_ms.append((time.perf_counter() - started) * 1000)
        print(json.dumps({'version': nx.__version__, 'python': sys.version.split()[0], 'load_ms': load_ms, 'warm_ms': warm_ms,
                          'nodes': graph.number_of_nodes(), 'edges': graph.number_of_edges()}))
        return
    costs = nx.multi_source_dijkstra_path_length(graph, origins, cutoff=float(cutoff), weight='weight')
    with open(out, 'w') as f:
        f.write('lon,lat,cost\n')
        for (lon, lat), cost in costs.items():
            f.write(f'{lon!r},{lat!r},{cost!r}\n')


main()
