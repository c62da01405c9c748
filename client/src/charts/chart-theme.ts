// Colours and type sizes shared by the dashboard charts, per theme, scaled to the display width
// (1920 px is the design size; walls up to 7680 px get proportionally larger type).

export type ChartTheme = 'dark' | 'light';

export interface ChartStyle {
  text: string;
  muted: string;
  axis: string;
  split: string;
  palette: string[];
  fontSize: number;
}

export function chartStyle(theme: ChartTheme, displayWidth: number): ChartStyle {
  const scale = Math.max(0.8, Math.min(4, displayWidth / 1920));
  return theme === 'dark'
    ? {
        text: '#e8f1ff',
        muted: '#9fb3cc',
        axis: 'rgba(159, 179, 204, 0.5)',
        split: 'rgba(159, 179, 204, 0.15)',
        palette: ['#4cc3ff', '#7ee0b5', '#ffd166', '#ff8c69', '#c39bff', '#6fa8ff', '#ff6b8b', '#9ee06f', '#ffb454', '#5ad1d1', '#b0b8c4'],
        fontSize: Math.round(13 * scale),
      }
    : {
        text: '#1d2733',
        muted: '#5a6b7d',
        axis: 'rgba(90, 107, 125, 0.6)',
        split: 'rgba(90, 107, 125, 0.15)',
        palette: ['#1565c0', '#2e7d32', '#f9a825', '#d84315', '#6a1b9a', '#0277bd', '#c2185b', '#558b2f', '#ef6c00', '#00838f', '#78909c'],
        fontSize: Math.round(12 * scale),
      };
}
