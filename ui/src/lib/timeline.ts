// The timeline (Gantt) geometry: a calendar-day x axis at one of three zoom
// levels, a swimlane per team, a bar per component from earliest start to
// earliest finish with its float after it, dependency arrows, milestone
// diamonds and the release's date lines. Pure functions: the view draws them.

import { dayNumber } from './calendar';
import type { Analysis, Release, Team } from './types';

export type Zoom = 'day' | 'week' | 'month';
export const ZOOMS: readonly Zoom[] = ['day', 'week', 'month'];

/** Pixels per calendar day at each zoom level. */
export const PX_PER_DAY: Record<Zoom, number> = { day: 30, week: 9, month: 3 };

export const ROW_HEIGHT = 26;
export const LANE_HEAD = 24;
export const AXIS_HEIGHT = 40;
/** Room under the lanes for the date lines' labels, on staggered rows. */
export const DATE_LABELS = 40;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface Bar {
  key: string;
  title: string;
  team: string;
  x: number;
  width: number;
  /** Float drawn after the bar, to the latest finish. */
  floatWidth: number;
  y: number;
  critical: boolean;
  done: boolean;
  totalFloat: number;
}

export interface Lane {
  team: string;
  name: string;
  y: number;
  height: number;
}

export interface Arrow {
  from: string;
  to: string;
  path: string;
  state: string;
  critical: boolean;
}

export interface Diamond {
  key: string;
  name: string;
  x: number;
  y: number;
  state: string;
}

export interface DateLine {
  id: 'feature_freeze' | 'code_freeze' | 'release_date' | 'today';
  label: string;
  x: number;
  date: string;
  /** The row (0, 1, 2) its label sits on, so close lines' labels do not overlap. */
  row: number;
}

export interface Tick {
  x: number;
  label: string;
  major: boolean;
}

export interface TimelineLayout {
  width: number;
  height: number;
  origin: string;
  pxPerDay: number;
  lanes: Lane[];
  bars: Bar[];
  arrows: Arrow[];
  diamonds: Diamond[];
  lines: DateLine[];
  ticks: Tick[];
}

/**
 * The drawing grows in steps of this many pixels (100 rows), not row by row:
 * WebKit lays out every text of an SVG again when the SVG's own size changes,
 * which on a long release took longer than the rest of an add's redraw.
 */
export const HEIGHT_STEP = 100 * ROW_HEIGHT;

/**
 * The SVG's height for a layout of `height`: itself up to one step (a short
 * release is quick to lay out), else the next step up. The view cuts the
 * SVG to `height` with a box around it, so the blank below never shows.
 */
export function drawnHeight(height: number): number {
  return height <= HEIGHT_STEP ? height : Math.ceil(height / HEIGHT_STEP) * HEIGHT_STEP;
}

function isoOf(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Lays out a release's timeline. `team` keeps one swimlane only. */
export function layoutTimeline(
  release: Release,
  analysis: Analysis,
  teams: readonly Team[],
  zoom: Zoom,
  today: string,
  team: string | null = null,
): TimelineLayout {
  const px = PX_PER_DAY[zoom];
  const schedules = new Map(analysis.components.map((c) => [c.key, c]));
  const dates = [release.start, release.release_date, today];
  for (const c of analysis.components) dates.push(c.es, c.lf);
  for (const m of release.milestones ?? []) dates.push(m.due);
  const days = dates.map(dayNumber);
  const first = Math.min(...days) - 3;
  const last = Math.max(...days) + 5;
  const origin = isoOf(first);
  const x = (iso: string) => (dayNumber(iso) - first) * px;

  // Swimlanes in workspace team order, then teams only components name.
  const order = teams.map((t) => t.key);
  for (const c of release.components) if (!order.includes(c.team)) order.push(c.team);
  const names = new Map(teams.map((t) => [t.key, t.name]));
  const lanes: Lane[] = [];
  const bars: Bar[] = [];
  const rowOf = new Map<string, number>();
  let y = AXIS_HEIGHT;
  for (const key of order) {
    if (team !== null && key !== team) continue;
    const members = release.components.filter((c) => c.team === key);
    if (members.length === 0) continue;
    const laneTop = y;
    y += LANE_HEAD;
    for (const c of members) {
      const s = schedules.get(c.key);
      if (!s) continue;
      const start = x(s.es);
      const end = x(s.ef) + px;
      bars.push({
        key: c.key,
        title: c.title,
        team: c.team,
        x: start,
        width: Math.max(end - start, 2),
        floatWidth: Math.max(x(s.lf) - x(s.ef), 0),
        y,
        critical: s.critical,
        done: s.done,
        totalFloat: s.total_float,
      });
      rowOf.set(c.key, y);
      y += ROW_HEIGHT;
    }
    lanes.push({ team: key, name: names.get(key) ?? key, y: laneTop, height: y - laneTop });
    y += 6;
  }

  const barOf = new Map(bars.map((b) => [b.key, b]));
  const arrows: Arrow[] = [];
  for (const d of analysis.dependencies) {
    const a = barOf.get(d.from);
    const b = barOf.get(d.to);
    if (!a || !b) continue;
    const x1 = a.x + a.width;
    const y1 = a.y + ROW_HEIGHT / 2;
    const x2 = b.x;
    const y2 = b.y + ROW_HEIGHT / 2;
    const bend = Math.max(8, Math.min(24, (x2 - x1) / 2));
    const path =
      x2 - x1 >= 16
        ? `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2 - 2},${y2}`
        : `M${x1},${y1} h8 V${(y1 + y2) / 2} H${x2 - 8} V${y2} H${x2 - 2}`;
    arrows.push({ from: d.from, to: d.to, path, state: d.state, critical: d.critical });
  }

  const risks = new Map(analysis.milestones.map((m) => [m.key, m.state]));
  const diamonds: Diamond[] = (release.milestones ?? []).map((m) => ({
    key: m.key,
    name: m.name,
    x: x(m.due) + px / 2,
    y: AXIS_HEIGHT - 9,
    state: risks.get(m.key) ?? 'ok',
  }));

  const lines: DateLine[] = [];
  const line = (id: DateLine['id'], label: string, date: string | null | undefined) => {
    if (date) lines.push({ id, label, x: x(date) + (id === 'today' ? px / 2 : 0), date, row: 0 });
  };
  line('feature_freeze', 'Feature freeze', release.feature_freeze);
  line('code_freeze', 'Code freeze', release.code_freeze);
  line('release_date', 'Release', release.release_date);
  line('today', 'Today', today);
  staggerLabels(lines);

  return {
    // Room after the last day for the key printed after each bar.
    width: (last - first + 1) * px + 140,
    height: y + 8 + DATE_LABELS,
    origin,
    pxPerDay: px,
    lanes,
    bars,
    arrows,
    diamonds,
    lines,
    ticks: ticks(first, last, zoom, px),
  };
}

/** Axis ticks: every day (day zoom), every Monday (week zoom), every 1st (month zoom). */
export function ticks(first: number, last: number, zoom: Zoom, px: number): Tick[] {
  const out: Tick[] = [];
  for (let d = first; d <= last; d++) {
    const date = new Date(d * 86_400_000);
    const dom = date.getUTCDate();
    const month = MONTHS[date.getUTCMonth()] ?? '';
    const weekday = date.getUTCDay();
    const x = (d - first) * px;
    if (zoom === 'day') out.push({ x, label: dom === 1 || d === first ? `${dom} ${month}` : String(dom), major: weekday === 1 });
    else if (zoom === 'week' && weekday === 1) out.push({ x, label: `${dom} ${month}`, major: dom <= 7 });
    else if (zoom === 'month' && dom === 1) out.push({ x, label: `${month} ${date.getUTCFullYear()}`, major: true });
  }
  return out;
}

/** The x of a date on a laid-out timeline (for scrolling to today). */
export function xOf(layout: Pick<TimelineLayout, 'origin' | 'pxPerDay'>, iso: string): number {
  return (dayNumber(iso) - dayNumber(layout.origin)) * layout.pxPerDay;
}

/** Puts each line's label on the lowest row where it does not run into an earlier label. */
export function staggerLabels(lines: DateLine[], charWidth = 6.5): void {
  const ends: number[] = [];
  for (const l of [...lines].sort((a, b) => a.x - b.x)) {
    let row = 0;
    while (row < 2 && (ends[row] ?? -Infinity) > l.x) row++;
    l.row = row;
    ends[row] = l.x + l.label.length * charWidth + 8;
  }
}
