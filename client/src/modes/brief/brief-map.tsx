// The briefing's map (loaded after the first view: MapLibre and deck.gl are most of /brief's code): the
// place's children coloured by the selected KPI — by rating where the KPI has a target, else by quantile
// class — tap a unit to open it, pinch and drag to move. A province's counties take their city's colour.
// Before printing, the briefing asks it for a picture of itself (a WebGL canvas does not print).

import { useEffect, useMemo, useRef, type RefObject } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { BriefKpiCard, BriefRankingRow } from '../../api-types';
import { Legend } from '../../components/legend';
import type { FocusLevel } from '../../hooks/use-focus-children';
import { MUTED_FILL, SEQUENTIAL_PALETTES, classColor, classOf, quantileBreaks, type Rgba } from '../../layers/color-scales';
import { RegionMap, type UnitFillOverride } from '../../map/region-map';
import { useI18n } from '../../i18n';
import { formatKpiValue } from './brief-format';
import { BRIEF_TEXT } from './brief-text';

/** Rating colours (the cards' and rows' colours, opaque enough to read under labels). */
export const STATUS_FILL: Record<'green' | 'amber' | 'red', Rgba> = {
  green: [46, 160, 96, 220],
  amber: [240, 170, 40, 220],
  red: [214, 60, 50, 220],
};

export interface BriefMapProps {
  level: FocusLevel;
  card: BriefKpiCard;
  rows: readonly BriefRankingRow[] | undefined;
  /** The ranking has answered (or failed): the map reports idle only after. */
  fillReady: boolean;
  /** Set while the map is shown: draws a frame and answers it as a PNG data URL (null when it cannot). */
  captureRef: RefObject<MapCapture | null>;
}

export type MapCapture = () => Promise<string | null>;

/** The row a map unit takes its colour from: its own, or (a province's county) its city's. */
function rowKeyOf(code: string, level: FocusLevel): string {
  return level === 'province' ? code.slice(0, 4) : code;
}

export default function BriefMap({ level, card, rows, fillReady, captureRef }: BriefMapProps) {
  const { lang } = useI18n();
  const text = BRIEF_TEXT[lang];
  const byCode = useMemo(() => new Map((rows ?? []).map((row) => [row.code, row])), [rows]);
  const rated = card.target !== null;
  const breaks = useMemo(
    () => (rated ? [] : quantileBreaks((rows ?? []).map((row) => row.value).filter((v): v is number => v !== null), 5)),
    [rated, rows],
  );
  const palette = SEQUENTIAL_PALETTES.light;

  const unitFill = useMemo((): UnitFillOverride | undefined => {
    if (!rows) return undefined;
    return {
      fillOf: (code) => {
        const row = byCode.get(rowKeyOf(code, level));
        if (!row || row.value === null) return null;
        if (rated) return row.status ? STATUS_FILL[row.status] : null;
        return classColor(palette, classOf(row.value, breaks), breaks.length);
      },
      key: `${card.id}|${level}|${rows.length}|${breaks.join(',')}|${rows.map((row) => row.status ?? '-').join('')}`,
    };
  }, [rows, byCode, level, rated, breaks, palette, card.id]);

  const legend = rated ? (
    <figure className="legend" aria-label={card.label[lang]}>
      <figcaption>{card.label[lang]}</figcaption>
      <ul>
        {(['green', 'amber', 'red'] as const).map((status) => {
          const [r, g, b] = STATUS_FILL[status];
          return (
            <li key={status}>
              <span className="swatch" style={{ background: `rgb(${r}, ${g}, ${b})` }} />
              {text.status[status]}
            </li>
          );
        })}
        <li>
          <span className="swatch" style={{ background: `rgb(${MUTED_FILL.light.slice(0, 3).join(', ')})` }} />
          {text.noValue}
        </li>
      </ul>
    </figure>
  ) : (
    <Legend title={card.label[lang]} breaks={breaks} palette={palette} format={(value) => formatKpiValue(value, card.unit, lang)} />
  );

  // A picture on request only (reading a WebGL frame back can take a while on a slow GPU): the pixels are
  // read in a render event, while the drawing buffer still holds the frame.
  const hostRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const capture: MapCapture = () =>
      new Promise((resolve) => {
        const map = hostRef.current?.querySelector<HTMLDivElement & { maplibreMap?: MaplibreMap }>('.atlas-map')?.maplibreMap;
        if (!map) {
          resolve(null);
          return;
        }
        map.once('render', () => {
          try {
            resolve(map.getCanvas().toDataURL('image/png'));
          } catch {
            // A lost context draws nothing to keep; the print then goes without the map.
            resolve(null);
          }
        });
        map.triggerRepaint();
      });
    captureRef.current = capture;
    return () => {
      if (captureRef.current === capture) captureRef.current = null;
    };
  }, [captureRef]);

  return (
    <div className="brief-map" ref={hostRef} data-kpi={card.id} data-fill={rows ? 'ready' : 'pending'}>
      <RegionMap theme="light" unitFill={unitFill} legend={legend} extraLayersReady={fillReady} />
    </div>
  );
}
