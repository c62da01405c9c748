// The CLI's commands: name → module (loaded on demand, so one command's dependencies never slow
// another) and its one-line help. Each module exports `run(args): Promise<number>` and `usage`.

export interface CliCommand {
  /** Module under server/cli/ exporting run(args: string[]): Promise<number> and usage: string. */
  module: string;
  summary: string;
}

export const CLI_COMMANDS: Record<string, CliCommand> = {
  generate: { module: './generate', summary: 'rebuild the database with seeded demonstration data (--seed, --scope, --now)' },
  'build-db': { module: './build-db', summary: 'rebuild the database from data/sources (--no-demo for the real geography only)' },
  reach: { module: './reach', summary: 'network reach of origins: one row per vertex within the limit (origin_id,node_lon,node_lat,cost_m)' },
  'service-areas': { module: './service-areas', summary: 'network service-area polygons of origins as GeoJSON' },
  hotspots: { module: './hotspots', summary: 'Getis-Ord Gi / Gi* per feature of a GeoJSON or Shapefile (id,value,z,p,class)' },
  moran: { module: './moran', summary: "global and local Moran's I per feature of a GeoJSON or Shapefile" },
  'site-select': { module: './site-select', summary: 'facility siting (MCLP, LSCP, p-median, p-center) on a cost matrix or an OR-Library instance' },
  user: { module: './user', summary: 'accounts: user add|list|disable|enable|reset (--role, --jurisdiction, --accounts)' },
  token: { module: './token', summary: 'API and kiosk tokens: token add|list|revoke (--role, --jurisdiction, --screen-only, --label)' },
  audit: { module: './audit', summary: 'the audit log: audit verify (the hash chain) | list (--limit, --actor, --action)' },
  import: { module: './import', summary: 'bring your own data: import <layer> <file> (GeoJSON, Shapefile zip, GeoPackage, CSV, XLSX; --crs, --map, --dry-run, --report), import history | undo' },
};

export interface CliModule {
  run(args: string[]): Promise<number>;
  usage: string;
}
