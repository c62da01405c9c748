// Exports of the /plan workspace: the table as CSV (UTF-8 with a byte-order mark, so spreadsheet programs
// read Chinese names; RFC 4180 quoting), and the map as a PNG composed on a canvas from the map's WebGL
// frame with the legend, a scale bar, a north arrow and the data credits drawn over it.

import type { PlanLegendModel } from './plan-legend';
import { cssColor } from './plan-legend';

/** One CSV field: quoted when it holds a comma, quote or line break (quotes doubled). */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text with a BOM, CRLF line ends. */
export function buildCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Metres per CSS pixel of a Web Mercator map (512-px tiles, as MapLibre) at a latitude and zoom. */
export function metersPerPixel(latitude: number, zoom: number): number {
  return (40_075_016.686 * Math.cos((latitude * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/** The longest round distance (1, 2 or 5 × 10^n metres) whose bar fits in `maxPixels`, and its length in pixels. */
export function scaleBar(metersPerPx: number, maxPixels: number): { meters: number; pixels: number } {
  const maxMeters = metersPerPx * maxPixels;
  const power = 10 ** Math.floor(Math.log10(maxMeters));
  const step = [5, 2, 1].find((m) => m * power <= maxMeters) ?? 1;
  const meters = step * power;
  return { meters, pixels: meters / metersPerPx };
}

export interface MapPictureParts {
  /** The map's canvas, read while its frame is in the drawing buffer. */
  map: HTMLCanvasElement;
  /** Device pixels per CSS pixel of the map canvas. */
  pixelRatio: number;
  legend: PlanLegendModel;
  /** Map centre latitude and zoom (for the scale bar). */
  latitude: number;
  zoom: number;
  title: string;
  credits: string;
  northLabel: string;
  lang: 'zh' | 'en';
}

/** Lines of `text` that fit in `width` pixels with the context's font (wrapping at any character for Chinese). */
function wrap(context: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const char of text) {
    if (context.measureText(line + char).width > width && line) {
      lines.push(line);
      line = char.trimStart();
    } else line += char;
  }
  if (line) lines.push(line);
  return lines;
}

/** Composes the PNG's canvas: map, title, legend (top left), scale bar and north arrow, credits band. */
export function composeMapPicture(parts: MapPictureParts): HTMLCanvasElement {
  const s = parts.pixelRatio;
  const width = parts.map.width;
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d')!;
  const font = `${13 * s}px "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif`;
  context.font = font;
  const creditLines = wrap(context, parts.credits, width - 24 * s);
  const creditHeight = (creditLines.length * 17 + 14) * s;
  canvas.width = width;
  canvas.height = parts.map.height + creditHeight;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(parts.map, 0, 0);

  // Legend box, top left.
  const legend = parts.legend;
  const pad = 10 * s;
  const row = 19 * s;
  context.font = font;
  const noteLines = legend.note ? wrap(context, legend.note, 300 * s) : [];
  const boxWidth = Math.max(
    context.measureText(parts.title).width,
    ...legend.entries.map((entry) => context.measureText(entry.text).width + 26 * s),
    ...noteLines.map((line) => context.measureText(line).width),
    context.measureText(legend.title).width,
  ) + 2 * pad;
  const boxHeight = pad * 2 + row * (2 + legend.entries.length + noteLines.length);
  context.fillStyle = 'rgba(255, 255, 255, 0.94)';
  context.strokeStyle = '#8a99a8';
  context.lineWidth = 1 * s;
  context.fillRect(12 * s, 12 * s, boxWidth, boxHeight);
  context.strokeRect(12 * s, 12 * s, boxWidth, boxHeight);
  let y = 12 * s + pad + row * 0.75;
  const x = 12 * s + pad;
  context.fillStyle = '#1d2733';
  context.font = `bold ${font}`;
  context.fillText(parts.title, x, y);
  y += row;
  context.fillText(legend.title, x, y);
  context.font = font;
  for (const entry of legend.entries) {
    y += row;
    const top = y - 11 * s;
    if (entry.shape === 'dot') {
      context.fillStyle = cssColor(entry.color);
      context.beginPath();
      context.arc(x + 8 * s, top + 6 * s, 6 * s, 0, 2 * Math.PI);
      context.fill();
    } else if (entry.shape === 'outline') {
      context.strokeStyle = cssColor(entry.color);
      context.lineWidth = 2 * s;
      context.strokeRect(x + 1 * s, top + 1 * s, 16 * s, 11 * s);
    } else {
      context.fillStyle = cssColor(entry.color);
      context.fillRect(x, top, 18 * s, 13 * s);
    }
    context.fillStyle = '#1d2733';
    context.fillText(entry.text, x + 26 * s, y);
  }
  context.fillStyle = '#5a6b7d';
  for (const line of noteLines) {
    y += row;
    context.fillText(line, x, y);
  }

  // Scale bar, bottom left of the map.
  const bar = scaleBar(metersPerPixel(parts.latitude, parts.zoom), 140);
  const barX = 16 * s;
  const barY = parts.map.height - 18 * s;
  const barWidth = bar.pixels * s;
  context.fillStyle = 'rgba(255, 255, 255, 0.85)';
  context.fillRect(barX - 6 * s, barY - 22 * s, barWidth + 12 * s + 60 * s, 30 * s);
  context.strokeStyle = '#1d2733';
  context.lineWidth = 2 * s;
  context.beginPath();
  context.moveTo(barX, barY - 6 * s);
  context.lineTo(barX, barY);
  context.lineTo(barX + barWidth, barY);
  context.lineTo(barX + barWidth, barY - 6 * s);
  context.stroke();
  context.fillStyle = '#1d2733';
  const barText = bar.meters >= 1000 ? `${bar.meters / 1000} km` : `${bar.meters} m`;
  context.fillText(barText, barX + 2 * s, barY - 9 * s);

  // North arrow, top right (the maps are never rotated).
  const nx = width - 34 * s;
  const ny = 20 * s;
  context.fillStyle = 'rgba(255, 255, 255, 0.85)';
  context.fillRect(nx - 16 * s, ny - 6 * s, 32 * s, 50 * s);
  context.fillStyle = '#1d2733';
  context.beginPath();
  context.moveTo(nx, ny);
  context.lineTo(nx + 9 * s, ny + 24 * s);
  context.lineTo(nx, ny + 18 * s);
  context.lineTo(nx - 9 * s, ny + 24 * s);
  context.closePath();
  context.fill();
  context.font = `bold ${font}`;
  context.textAlign = 'center';
  context.fillText(parts.northLabel, nx, ny + 40 * s);
  context.textAlign = 'start';

  // Credits band under the map.
  context.font = font;
  context.fillStyle = '#f4f6f8';
  context.fillRect(0, parts.map.height, width, creditHeight);
  context.fillStyle = '#33414f';
  creditLines.forEach((line, k) => context.fillText(line, 12 * s, parts.map.height + (k * 17 + 19) * s));
  return canvas;
}

/** Downloads a blob under a file name. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
