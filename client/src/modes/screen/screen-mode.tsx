// /screen: the 24/7 situation wall. Unattended: configured by the URL (region, scene, tour, theme,
// kpi), touring its map scenes, fed by the live dispute stream, no scrollbars and no cursor.
// Layout at 16:9: governance figures and charts on the left, dispute KPIs, charts and the latest cases
// on the right, the map in between at true pixels (wider walls give the extra width to the map).

import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useIdleCursor } from '../../hooks/use-idle-cursor';
import { useLiveEvents } from '../../hooks/use-live-events';
import { useI18n } from '../../i18n';
import { trpc } from '../../trpc';
import { ScreenMap } from './screen-map';
import { ChartPanel, DisputeKpiPanel, InfrastructurePanel, LatestEventsPanel, ScreenHeader } from './screen-panels';
import { useScreenParams, useSetHotspotBaseline, useTour } from './screen-params';
import { useScreenData } from './use-screen-data';
import './screen.css';

/** The wall's scale against the 1920 × 1080 design (the root font follows the same rule in CSS). */
function useWallScale(): number {
  const read = (): number => Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
  const [scale, setScale] = useState(read);
  useEffect(() => {
    const update = (): void => setScale(read());
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, []);
  return Math.max(0.5, scale);
}

/** A clock for the pulses: ticks twice a second while fresh events pulse, otherwise sleeps. */
function usePulseClock(lastReceivedAt: number | null): number {
  const [clock, setClock] = useState(() => Date.now());
  useEffect(() => {
    if (lastReceivedAt === null) return;
    setClock(Date.now());
    const timer = setInterval(() => {
      const now = Date.now();
      setClock(now);
      if (now - lastReceivedAt > 61_000) clearInterval(timer);
    }, 500);
    return () => clearInterval(timer);
  }, [lastReceivedAt]);
  return clock;
}

export default function ScreenMode() {
  const { t } = useI18n();
  const params = useScreenParams();
  const setHotspotBaseline = useSetHotspotBaseline();
  const rootRef = useRef<HTMLDivElement>(null);
  useIdleCursor(rootRef);
  const scale = useWallScale();
  const tour = useTour(params.scene, params.tourSeconds);
  const live = useLiveEvents(params.region, { capacity: 300, throttleMs: 500 });
  const data = useScreenData(params.region, live.received);
  const health = useQuery({ ...trpc.meta.health.queryOptions(), staleTime: 60_000 });
  const clockMs = usePulseClock(live.events[0]?.receivedAt ?? null);

  // A wall has no scrollbars, whatever the content.
  useEffect(() => {
    document.documentElement.classList.add('wall');
    return () => document.documentElement.classList.remove('wall');
  }, []);

  const regionName = data.tree.data?.name ?? null;
  return (
    <div
      ref={rootRef}
      className={`mode-screen screen-wall theme-${params.theme}`}
      data-scene={tour.scene}
      data-region={params.region}
      data-live-received={live.received}
    >
      <ScreenHeader
        regionName={regionName}
        scene={tour.scene}
        tourSince={tour.since}
        tourSeconds={params.tourSeconds}
        connection={live.connection}
        lastDataAt={live.lastDataAt}
        demo={Boolean(health.data?.demo)}
        demoTitle={t.demoDataTitle}
      />
      <aside className="screen-side screen-left">
        <InfrastructurePanel data={data} />
        <ChartPanel kind="trend" data={data} theme={params.theme} />
        <ChartPanel kind="types" data={data} theme={params.theme} />
      </aside>
      <main className="screen-center">
        <ScreenMap
          region={params.region}
          level={data.level}
          scene={tour.scene}
          kpi={params.kpi}
          theme={params.theme}
          now={data.now}
          from={data.from}
          unitCounts={data.mapCounts}
          coverageByUnit={data.coverageByUnit}
          hotspotBaseline={params.hotspotBaseline}
          onHotspotBaselineChange={setHotspotBaseline}
          liveEvents={live.events}
          clockMs={clockMs}
          scale={scale}
        />
      </main>
      <aside className="screen-side screen-right">
        <DisputeKpiPanel data={data} />
        <ChartPanel kind="funnel" data={data} theme={params.theme} />
        <ChartPanel kind="ranking" data={data} theme={params.theme} />
        <LatestEventsPanel data={data} />
      </aside>
      <footer className="screen-credits credits">{t.credits}</footer>
    </div>
  );
}
