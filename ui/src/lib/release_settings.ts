// The release page's Settings tab: the deployment strategies and their labels,
// the deploy schedule's slots (moving one, a slot per team, the value sent),
// and the rollback triggers (the form, its parsing and checks, a trigger's
// summary line). Pure: no Svelte, no backend.

import type { DeploySchedule, Endpoint, RollbackTrigger, Slot, Strategy, Team } from './generated';

// ---------------------------------------------------------------------------
// Strategy

export const STRATEGIES: readonly Strategy[] = ['blue_green', 'canary', 'rolling', 'big_bang'];
export const STRATEGY_LABELS: Record<Strategy, string> = {
  blue_green: 'Blue/green',
  canary: 'Canary',
  rolling: 'Rolling',
  big_bang: 'Big bang',
};

// ---------------------------------------------------------------------------
// Deploy schedule

/** The schedule as the tab edits it: the day as typed ("" = none) and the slots in order. */
export interface ScheduleForm {
  date: string;
  slots: Slot[];
}

export function scheduleFormOf(ds: DeploySchedule | null | undefined): ScheduleForm {
  return { date: ds?.date ?? '', slots: (ds?.slots ?? []).map((s) => ({ team: s.team, at: s.at })) };
}

/** The value sent for `deploy_schedule`: null when there is neither a day nor a slot. */
export function scheduleValue(form: ScheduleForm): DeploySchedule | null {
  const date = form.date.trim();
  const slots = form.slots.map((s) => ({ team: s.team, at: s.at.trim() }));
  if (date === '' && slots.length === 0) return null;
  return { date: date === '' ? null : date, slots };
}

/**
 * `items` with the one at `from` moved to index `to` (the others keep their
 * order): a drag from row `from` dropped on row `to`, or up (`to = from - 1`)
 * and down (`to = from + 1`). An index out of range changes nothing.
 */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const out = [...items];
  if (from === to || from < 0 || to < 0 || from >= out.length || to >= out.length) return out;
  const [moved] = out.splice(from, 1);
  out.splice(to, 0, moved as T);
  return out;
}

/** Minutes after midnight of an `HH:MM` time (24-hour, as the plan requires), or null. */
export function minutesOf(at: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(at.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

const LAST_MINUTE = 23 * 60 + 59;

/** `HH:MM` of minutes after midnight, kept within the day (at most 23:59). */
export function hhmm(minutes: number): string {
  const m = Math.max(0, Math.min(LAST_MINUTE, Math.round(minutes)));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** The first slot of an empty schedule. */
export const FIRST_SLOT = '06:00';
/** The gap between the slots "Slot per team" adds, in minutes. */
export const SLOT_GAP = 60;

/** The time a new slot gets: an hour after the last slot with a valid time, else 06:00. */
export function nextSlotTime(slots: readonly Slot[]): string {
  for (let i = slots.length - 1; i >= 0; i--) {
    const m = minutesOf(slots[i]!.at);
    if (m !== null) return hhmm(m + SLOT_GAP);
  }
  return FIRST_SLOT;
}

/** The teams (in workspace order) that have no slot yet. */
export function teamsWithoutSlot(slots: readonly Slot[], teams: readonly Team[]): Team[] {
  const have = new Set(slots.map((s) => s.team));
  return teams.filter((t) => !have.has(t.key));
}

/**
 * The slots plus one for each team without one, in workspace order, an hour
 * apart after the last slot (from 06:00 when there is none; never past 23:59).
 */
export function fillSlots(slots: readonly Slot[], teams: readonly Team[]): Slot[] {
  const out = slots.map((s) => ({ ...s }));
  for (const t of teamsWithoutSlot(slots, teams)) out.push({ team: t.key, at: nextSlotTime(out) });
  return out;
}

// ---------------------------------------------------------------------------
// Rollback triggers

export type TriggerKind = RollbackTrigger['kind'];
export const TRIGGER_KINDS: readonly TriggerKind[] = ['metric', 'verify_failed', 'manual'];
export const TRIGGER_KIND_LABELS: Record<TriggerKind, string> = {
  metric: 'Metric',
  verify_failed: 'Verify failed',
  manual: 'Manual',
};

/** A trigger as the form holds it: every field as typed. */
export interface TriggerForm {
  kind: TriggerKind;
  endpoint: string;
  query: string;
  above: string;
  below: string;
  for_s: string;
  /** What no data (an empty result, NaN) means: not a breach (the default) or a breach. */
  no_data: 'ignore' | 'breach';
  text: string;
}

/** The form fields a problem can be shown next to. */
export type TriggerFormField = 'endpoint' | 'query' | 'above' | 'below' | 'for_s';
export type TriggerProblems = Partial<Record<TriggerFormField, string>>;

/** The longest `for_s` the plan allows (one day). */
export const FOR_S_MAX = 86_400;

/** The names of the workspace's Prometheus endpoints, sorted: what a metric trigger may read. */
export function prometheusEndpoints(endpoints: Record<string, Endpoint>): string[] {
  return Object.entries(endpoints)
    .filter(([, e]) => e.kind === 'prometheus')
    .map(([name]) => name)
    .sort();
}

/** An empty form; a metric one reads the only Prometheus endpoint when there is one. */
export function emptyTriggerForm(kind: TriggerKind = 'metric', prometheus: readonly string[] = []): TriggerForm {
  return { kind, endpoint: prometheus.length === 1 ? prometheus[0]! : '', query: '', above: '', below: '', for_s: '', no_data: 'ignore', text: '' };
}

export function triggerFormOf(t: RollbackTrigger): TriggerForm {
  const form = emptyTriggerForm(t.kind);
  if (t.kind === 'metric') {
    form.endpoint = t.endpoint;
    form.query = t.query;
    form.above = t.above == null ? '' : String(t.above);
    form.below = t.below == null ? '' : String(t.below);
    form.for_s = t.for_s == null ? '' : String(t.for_s);
    form.no_data = t.no_data ?? 'ignore';
  } else {
    form.text = t.text ?? '';
  }
  return form;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A threshold as typed: null when empty, a finite number, or what is wrong. */
export function parseThreshold(raw: string): number | null | { problem: string } {
  const s = raw.trim();
  if (s === '') return null;
  const n = DECIMAL.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(n)) return { problem: `"${s}" is not a number (e.g. 0.05).` };
  return n;
}

/** Seconds as typed: null when empty, a whole number 0..86400, or what is wrong. */
export function parseSeconds(raw: string): number | null | { problem: string } {
  const s = raw.trim();
  if (s === '') return null;
  if (!/^\d+$/.test(s)) return { problem: `"${s}" is not a whole number of seconds (e.g. 300).` };
  const n = Number(s);
  if (n > FOR_S_MAX) return { problem: `At most ${FOR_S_MAX} seconds (one day).` };
  return n;
}

/** The trigger a form makes, or the problems to show next to its fields (nothing is sent then). */
export function triggerOf(form: TriggerForm): { trigger: RollbackTrigger } | { problems: TriggerProblems } {
  if (form.kind !== 'metric') {
    const text = form.text.trim();
    return { trigger: text === '' ? { kind: form.kind } : { kind: form.kind, text } };
  }
  const problems: TriggerProblems = {};
  const endpoint = form.endpoint.trim();
  const query = form.query.trim();
  if (endpoint === '') problems.endpoint = 'Choose the Prometheus endpoint to read.';
  if (query === '') problems.query = 'A metric trigger needs a query.';
  const above = parseThreshold(form.above);
  const below = parseThreshold(form.below);
  const forS = parseSeconds(form.for_s);
  if (typeof above === 'object' && above !== null) problems.above = above.problem;
  if (typeof below === 'object' && below !== null) problems.below = below.problem;
  if (typeof forS === 'object' && forS !== null) problems.for_s = forS.problem;
  if (above === null && below === null) problems.above = 'Give "above" or "below" (or both).';
  if (Object.keys(problems).length > 0) return { problems };
  const trigger: RollbackTrigger = { kind: 'metric', endpoint, query };
  if (typeof above === 'number') trigger.above = above;
  if (typeof below === 'number') trigger.below = below;
  if (typeof forS === 'number') trigger.for_s = forS;
  if (form.no_data === 'breach') trigger.no_data = 'breach';
  return { trigger };
}

/**
 * The triggers after saving a form's trigger: at `index` (an edited trigger)
 * or added at the end (`index` null).
 */
export function putTrigger(triggers: readonly RollbackTrigger[], trigger: RollbackTrigger, index: number | null): RollbackTrigger[] {
  if (index === null || index < 0 || index >= triggers.length) return [...triggers, trigger];
  return triggers.map((t, i) => (i === index ? trigger : t));
}

export function removeTrigger(triggers: readonly RollbackTrigger[], index: number): RollbackTrigger[] {
  return triggers.filter((_, i) => i !== index);
}

/**
 * One line for a trigger: "metric error_rate on prometheus above 0.05 for 300 s",
 * "verify failed", "manual: P0 bug found".
 */
export function triggerSummary(t: RollbackTrigger): string {
  switch (t.kind) {
    case 'metric': {
      let s = `metric ${t.query} on ${t.endpoint}`;
      const bounds: string[] = [];
      if (t.above != null) bounds.push(`above ${t.above}`);
      if (t.below != null) bounds.push(`below ${t.below}`);
      if (bounds.length > 0) s += ` ${bounds.join(' or ')}`;
      if (t.for_s) s += ` for ${t.for_s} s`;
      if (t.no_data === 'breach') s += '; no data counts as a breach';
      return s;
    }
    case 'verify_failed':
      return t.text ? `verify failed: ${t.text}` : 'verify failed';
    case 'manual':
      return t.text ? `manual: ${t.text}` : 'manual';
  }
}
