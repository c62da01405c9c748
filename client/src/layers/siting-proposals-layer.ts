// Proposed facility sites as deck.gl layers: a numbered marker per proposal (rank 1 = adds the most)
// and, for straight-line travel, its approximate catchment circle (radius = walked reach / detour).
// Pure (data, options) => layers; the data array stays stable, highlight changes go through updateTriggers.

import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { metersForMinutes } from '../../../server/domain/travel-limits';
import type { SitingProposal } from '../api-types';
import type { Rgba } from './color-scales';

/** What the layers read of a proposal (plan.optimize answers more). */
export type SitingProposalDatum = Pick<SitingProposal, 'rank' | 'lngLat' | 'label' | 'marginalPopulation'>;

export interface SitingProposalOptions {
  /** Prefix of the layer ids. */
  id?: string;
  /** Catchment radius to draw in metres, or null to draw none (network travel has no circle). */
  catchmentRadiusMeters: number | null;
  /** Rank drawn emphasised (hovered row of the table), or null. */
  highlightedRank: number | null;
  color?: Rgba;
  onHover?: (proposal: SitingProposalDatum | null) => void;
}

export const DEFAULT_PROPOSAL_COLOR: Rgba = [214, 68, 40, 255];

/** Straight-line catchment radius in metres: walked reach (minutes × speed) over the detour factor. */
export function catchmentRadiusMeters(maxMinutes: number, speedKmh: number, detourFactor: number): number {
  return metersForMinutes(maxMinutes, speedKmh) / detourFactor;
}

export function createSitingProposalLayers(proposals: readonly SitingProposalDatum[], options: SitingProposalOptions) {
  const id = options.id ?? 'siting-proposals';
  const color = options.color ?? DEFAULT_PROPOSAL_COLOR;
  const highlighted = options.highlightedRank;
  const layers = [];
  if (options.catchmentRadiusMeters !== null) {
    const radius = options.catchmentRadiusMeters;
    layers.push(
      new ScatterplotLayer<SitingProposalDatum>({
        id: `${id}-catchments`,
        data: proposals,
        getPosition: (d) => d.lngLat,
        getRadius: radius,
        radiusUnits: 'meters',
        stroked: true,
        filled: true,
        getFillColor: (d) => [color[0], color[1], color[2], d.rank === highlighted ? 70 : 28],
        getLineColor: [color[0], color[1], color[2], 160],
        lineWidthUnits: 'pixels',
        getLineWidth: 1,
        updateTriggers: { getFillColor: [highlighted, color.join(',')] },
      }),
    );
  }
  layers.push(
    new ScatterplotLayer<SitingProposalDatum>({
      id: `${id}-markers`,
      data: proposals,
      pickable: true,
      getPosition: (d) => d.lngLat,
      getRadius: (d) => (d.rank === highlighted ? 13 : 10),
      radiusUnits: 'pixels',
      stroked: true,
      getFillColor: color,
      getLineColor: [255, 255, 255, 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      updateTriggers: { getRadius: [highlighted] },
      // deck.gl hands back the picked datum untyped (`any`): it is one of `proposals`.
      onHover: (info) => options.onHover?.((info.object as SitingProposalDatum | undefined) ?? null),
    }),
    new TextLayer<SitingProposalDatum>({
      id: `${id}-ranks`,
      data: proposals,
      getPosition: (d) => d.lngLat,
      getText: (d) => String(d.rank),
      getSize: 12,
      getColor: [255, 255, 255, 255],
      fontWeight: 700,
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      characterSet: '0123456789',
    }),
  );
  return layers;
}
