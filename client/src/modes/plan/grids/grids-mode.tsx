// /plan/grids (多格合一): a department's own grids over the unified grids of a unit — unified grids coloured by
// the IoU of their best departmental match, the department's grids outlined (those crossing community or
// street borders, and the slivers, in the alert colour), the report's figures, the worst matches in a
// table highlighted on the map (and back), and the report as an XLSX download.

import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useLocation } from 'react-router';
import type { FeatureCollection, MultiPolygon, Point } from 'geojson';
import { ModeHeader } from '../../../components/mode-header';
import { formatDecimal, formatInteger, formatPercent } from '../../../format';
import { useMe } from '../../../hooks/use-me';
import type { MatchQuality, UnifiedGridMatch } from '../../../api-types';
import { downloadReconcileExport, useDepartmentLayers, useReconciliation, type ReconcileRequest } from '../../../hooks/use-reconcile';
import { useI18n } from '../../../i18n';
import { AtlasMap, type LngLatBounds } from '../../../map/atlas-map';
import { ALERT_COLOR, DEPARTMENT_LINE_COLOR, QUALITY_COLORS, QUALITY_ORDER, createDepartmentOutlineLayer, createSliverLayer, createUnifiedMatchLayer } from './grids-layers';
import { GRIDS_TEXT } from './grids-text';
import './grids.css';

/** Rows of the worst-matches table. */
const WORST_ROWS = 30;
const NO_LABELS: FeatureCollection<Point, { name: string }> = { type: 'FeatureCollection', features: [] };

const css = (rgba: readonly number[]) => `rgba(${rgba[0]}, ${rgba[1]}, ${rgba[2]}, ${(rgba[3] ?? 255) / 255})`;

/** The unified grids by how badly they match: lowest best IoU first, larger grids first among equals. */
export function worstMatches(unified: readonly UnifiedGridMatch[], count: number): UnifiedGridMatch[] {
  return [...unified].sort((a, b) => (a.best?.iou ?? 0) - (b.best?.iou ?? 0) || b.areaM2 - a.areaM2).slice(0, count);
}

function boundsOf(collection: FeatureCollection<MultiPolygon>, code?: string): LngLatBounds | null {
  const box: LngLatBounds = [Infinity, Infinity, -Infinity, -Infinity];
  for (const feature of collection.features) {
    if (code !== undefined && (feature.properties as { code: string }).code !== code) continue;
    for (const polygon of feature.geometry.coordinates) {
      for (const [x, y] of polygon[0] ?? []) {
        box[0] = Math.min(box[0], x!);
        box[1] = Math.min(box[1], y!);
        box[2] = Math.max(box[2], x!);
        box[3] = Math.max(box[3], y!);
      }
    }
  }
  return Number.isFinite(box[0]) ? box : null;
}

export default function GridsMode() {
  const { lang } = useI18n();
  const text = GRIDS_TEXT[lang];
  const { search } = useLocation();
  const me = useMe().data;
  const planner = me?.capabilities.plan ?? false;
  const layers = useDepartmentLayers(planner);
  const params = new URLSearchParams(search);
  const [department, setDepartment] = useState<string | null>(params.get('department'));
  const [withinDraft, setWithinDraft] = useState(params.get('within') ?? '');
  const [within, setWithin] = useState<string | null>(params.get('within'));
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);

  useEffect(() => {
    if (department === null && layers.data?.[0]) setDepartment(layers.data[0].department);
  }, [department, layers.data]);
  useEffect(() => {
    if (within === null && me) {
      setWithin(me.jurisdiction);
      setWithinDraft(me.jurisdiction);
    }
  }, [within, me]);

  const request: ReconcileRequest | null = planner && department !== null && within !== null ? { department, within } : null;
  const { unified, department: departmentGrids, report } = useReconciliation(request);
  const answer = report.data?.report;
  const qualityByCode = useMemo(() => new Map<string, MatchQuality>((answer?.unified ?? []).map((match) => [match.code, match.quality])), [answer]);
  const crossingCodes = useMemo(() => new Set((answer?.crossings ?? []).map((crossing) => crossing.departmentCode)), [answer]);
  const worst = useMemo(() => worstMatches(answer?.unified ?? [], WORST_ROWS), [answer]);
  const unifiedGrids = unified.data as FeatureCollection<MultiPolygon, { code: string; name: string }> | undefined;

  const mapLayers = useMemo(() => {
    if (!unifiedGrids || !departmentGrids.data || !answer) return [];
    return [
      createUnifiedMatchLayer(unifiedGrids, { qualityByCode, highlighted, onHover: setHighlighted, onClick: setHighlighted }),
      createDepartmentOutlineLayer(departmentGrids.data, crossingCodes),
      createSliverLayer(answer.slivers),
    ];
  }, [unifiedGrids, departmentGrids.data, answer, qualityByCode, crossingCodes, highlighted]);
  const fitBounds = useMemo(() => (unifiedGrids ? boundsOf(unifiedGrids, focus ?? undefined) : null), [unifiedGrids, focus]);
  const ready = mapLayers.length > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setWithin(withinDraft.trim());
    setFocus(null);
  };
  const download = async () => {
    if (!request) return;
    setExporting(true);
    setExportError(null);
    try {
      await downloadReconcileExport(request, lang);
    } catch (error) {
      setExportError(error instanceof Error ? error.message : String(error));
    } finally {
      setExporting(false);
    }
  };
  const layer = layers.data?.find((entry) => entry.department === department);
  const error = unified.error ?? departmentGrids.error ?? report.error ?? layers.error;

  return (
    <div className="mode mode-grids theme-light" data-ready={ready ? 'true' : undefined}>
      <ModeHeader title={text.title} showNav />
      <main className="mode-main">
        <AtlasMap
          theme="light"
          layers={mapLayers}
          labels={NO_LABELS}
          fitBounds={fitBounds}
          fitKey={`${within}|${department}|${focus ?? ''}|${unifiedGrids ? 'loaded' : ''}`}
          fitPadding={{ top: 32, right: 32, bottom: 32, left: 460 }}
          dataReady={ready}
          getTooltip={(info) => {
            const code = (info.object as { properties?: { code?: string; name?: string } } | undefined)?.properties?.code;
            const match = code ? answer?.unified.find((entry) => entry.code === code) : undefined;
            return match ? `${match.name} (${match.code})\n${text.columns.best}: ${match.best?.departmentName ?? '—'}\nIoU ${formatDecimal(match.best?.iou ?? 0, lang, 2)}` : null;
          }}
        />
        <div className="grids-side">
          <form className="grids-request" onSubmit={submit}>
            <label>
              {text.department}
              <select value={department ?? ''} onChange={(event) => setDepartment(event.target.value)} disabled={!layers.data?.length}>
                {(layers.data ?? []).map((entry) => (
                  <option key={entry.department} value={entry.department}>
                    {entry.department} ({formatInteger(entry.features, lang)})
                  </option>
                ))}
              </select>
            </label>
            <label>
              {text.within}
              <input value={withinDraft} onChange={(event) => setWithinDraft(event.target.value)} inputMode="numeric" pattern="\d{2,15}" />
            </label>
            <button type="submit">{text.show}</button>
          </form>
          {!planner && me && <p className="grids-note">{text.notPlanner}</p>}
          {planner && layers.data?.length === 0 && <p className="grids-note">{text.noDepartments}</p>}
          {layer && <p className="grids-source">{text.layerFile(layer.fileName, layer.importedAt.slice(0, 16).replace('T', ' '))}</p>}
          {error && <p className="grids-error" role="alert">{error.message}</p>}
          {request && !answer && !error && <p className="grids-note">{text.computing}</p>}
          {answer && (
            <>
              <dl className="grids-summary">
                <dt>{text.summary.unified}</dt>
                <dd>{formatInteger(answer.summary.unifiedGrids, lang)}</dd>
                <dt>{text.summary.department}</dt>
                <dd>{formatInteger(answer.summary.departmentGrids, lang)}</dd>
                <dt>{text.summary.meanIou}</dt>
                <dd>{formatDecimal(answer.summary.meanBestIou, lang, 2)}</dd>
                <dt>{text.summary.crossings}</dt>
                <dd data-figure="crossings">{formatInteger(answer.summary.crossings, lang)}</dd>
                <dt>{text.summary.slivers}</dt>
                <dd data-figure="slivers">{formatInteger(answer.summary.slivers, lang)}</dd>
                <dt>{text.summary.gaps}</dt>
                <dd>{formatInteger(answer.summary.gaps, lang)}</dd>
                <dt>{text.summary.uncovered}</dt>
                <dd>{formatInteger(answer.summary.uncovered, lang)}</dd>
              </dl>
              <figure className="legend grids-legend" aria-label={text.title}>
                <ul>
                  {QUALITY_ORDER.map((quality) => (
                    <li key={quality}>
                      <span className="swatch" style={{ background: css(QUALITY_COLORS[quality]) }} />
                      {text.quality[quality]} · {formatInteger(answer.summary.byQuality[quality], lang)}
                    </li>
                  ))}
                  <li>
                    <span className="swatch swatch-outline" style={{ borderColor: css(DEPARTMENT_LINE_COLOR) }} />
                    {text.departmentOutline}
                  </li>
                  <li>
                    <span className="swatch swatch-outline" style={{ borderColor: css(ALERT_COLOR), background: css([ALERT_COLOR[0], ALERT_COLOR[1], ALERT_COLOR[2], 120]) }} />
                    {text.alert}
                  </li>
                </ul>
              </figure>
              <button type="button" className="grids-download" onClick={() => void download()} disabled={exporting}>
                {exporting ? text.downloading : text.download}
              </button>
              {exportError && <p className="grids-error" role="alert">{exportError}</p>}
              <section className="grids-table">
                <h2>{text.tableTitle}</h2>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{text.columns.code}</th>
                      <th scope="col">{text.columns.name}</th>
                      <th scope="col">{text.columns.best}</th>
                      <th scope="col">{text.columns.iou}</th>
                      <th scope="col">{text.columns.share}</th>
                      <th scope="col">{text.columns.overlaps}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {worst.map((match) => (
                      <tr
                        key={match.code}
                        data-code={match.code}
                        data-highlighted={match.code === highlighted ? 'true' : undefined}
                        onMouseEnter={() => setHighlighted(match.code)}
                        onMouseLeave={() => setHighlighted(null)}
                        onClick={() => setFocus(match.code)}
                      >
                        <td>{match.code}</td>
                        <td>{match.name}</td>
                        <td>{match.best?.departmentName ?? '—'}</td>
                        <td className="numeric">{formatDecimal(match.best?.iou ?? 0, lang, 2)}</td>
                        <td className="numeric">{match.best ? formatPercent(match.best.shareOfUnified) : '—'}</td>
                        <td className="numeric">{formatInteger(match.overlaps.length, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            </>
          )}
        </div>
      </main>
    </div>
  );
}
