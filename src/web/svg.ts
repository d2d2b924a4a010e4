import { escape } from './pages.ts';

/** A linear scale from a domain onto a range, clamped to the range (d3-scale's `scaleLinear().clamp(true)`, in brief). */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const lo = Math.min(r0, r1);
  const hi = Math.max(r0, r1);
  return (value) => Math.min(hi, Math.max(lo, r0 + ((value - d0) / span) * (r1 - r0)));
}

/** Evenly spaced round numbers between two values, `count` at most (the ticks of an axis). */
export function ticks(from: number, to: number, count: number): number[] {
  if (!(to > from) || count < 1) return [from];
  const step = (to - from) / count;
  return Array.from({ length: count + 1 }, (_, index) => from + index * step);
}

/** A coordinate written short: SVG needs no more than a tenth of a unit. */
export const n = (value: number): string => String(Math.round(value * 10) / 10);

/** Text cut to `max` characters (by code point), with an ellipsis: the full text stays in the element's <title>. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** An element's accessible name and tooltip. */
export const tip = (text: string): string => `<title>${escape(text)}</title>`;

/**
 * An inline SVG picture with an accessible name (its <title>) and description, scaled to its container's width by
 * its viewBox; drawn with presentation attributes only, so the strict style policy needs no exception for it.
 */
export function svgPicture(input: {
  id: string;
  title: string;
  description: string;
  width: number;
  height: number;
  body: string;
}): string {
  const { id, width, height } = input;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Noto Sans CJK SC', sans-serif" font-size="15">`,
    `<title id="${id}-title">${escape(input.title)}</title>`,
    `<desc id="${id}-desc">${escape(input.description)}</desc>`,
    input.body,
    '</svg>',
  ].join('\n');
}
