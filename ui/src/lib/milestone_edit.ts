// Authoring integration milestones and the pre-release checklist: the form a
// milestone fills (key from the name, components and owners ticked in order,
// scenarios), what is wrong with it before it is sent, the one edit a save
// makes (a new milestone, a change under the same key, or a key change as
// remove + put at the old place), and the batch of changed fields a checklist
// row edit makes. Pure: no Svelte, no backend.

import { KEY_PATTERN, keyFromTitle, uniqueKey } from './component_edit';
import type { ChecklistField, ChecklistItem, Edit, Milestone, Phase, Scenario } from './generated';

// ---------------------------------------------------------------------------
// Dates and keys

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** The key a milestone name makes (`Checkout end-to-end` → `checkout-end-to-end`), unique among `taken`. */
export function milestoneKeyFromName(name: string, taken: Iterable<string> = []): string {
  return uniqueKey(keyFromTitle(name), taken);
}

/**
 * What is wrong with `key` as the key of a milestone, or null. `taken`: the
 * release's milestone keys; `own`: the key the milestone has now (an edit may keep it).
 */
export function milestoneKeyProblem(key: string, taken: Iterable<string>, own: string | null = null): string | null {
  if (key === '') return 'A milestone needs a key: give the name a letter or digit, or type a key.';
  if (!KEY_PATTERN.test(key))
    return `"${key}" is not a key: lower case letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64.`;
  if (key !== own) for (const k of taken) if (k === key) return `The release has a milestone "${key}" already.`;
  return null;
}

// ---------------------------------------------------------------------------
// The milestone form

export const PHASES: readonly { value: Phase; label: string }[] = [
  { value: 'component_pair', label: 'Component pair' },
  { value: 'subsystem', label: 'Subsystem' },
  { value: 'full_system', label: 'Full system' },
];

export interface MilestoneForm {
  name: string;
  key: string;
  /** "" = no phase. */
  phase: Phase | '';
  /** Component keys, in the order they were ticked (a milestone's own order kept). */
  components: string[];
  due: string;
  environment: string;
  /** Team keys, in the order they were ticked. */
  owners: string[];
  scenarios: Scenario[];
}

export function emptyMilestoneForm(): MilestoneForm {
  return { name: '', key: '', phase: '', components: [], due: '', environment: '', owners: [], scenarios: [] };
}

/** The form filled from a milestone (copies: editing the form leaves `m` alone). */
export function milestoneFormOf(m: Milestone): MilestoneForm {
  return {
    name: m.name,
    key: m.key,
    phase: m.phase ?? '',
    components: [...m.components],
    due: m.due,
    environment: m.environment ?? '',
    owners: [...(m.owners ?? [])],
    scenarios: (m.scenarios ?? []).map((s) => ({ text: s.text, done: s.done })),
  };
}

/** `list` with `key` ticked (added at the end, once) or unticked. */
export function toggled(list: readonly string[], key: string, on: boolean): string[] {
  if (!on) return list.filter((k) => k !== key);
  return list.includes(key) ? [...list] : [...list, key];
}

/** `scenarios` with a new, open one at the end; unchanged when `text` is blank. */
export function withScenario(scenarios: readonly Scenario[], text: string): Scenario[] {
  const t = text.trim();
  return t === '' ? [...scenarios] : [...scenarios, { text: t, done: false }];
}

/** What is wrong, by field (only the fields with a problem are present). */
export interface MilestoneProblems {
  name?: string;
  key?: string;
  due?: string;
  components?: string;
  scenarios?: string;
}

/**
 * The form's problems. `taken`: the release's milestone keys; `own`: the key of
 * the milestone being edited (null for a new one); `componentKeys`: the release's
 * components (a ticked key it no longer has is a problem).
 */
export function milestoneProblems(
  form: MilestoneForm,
  taken: Iterable<string>,
  own: string | null,
  componentKeys?: Iterable<string>,
): MilestoneProblems {
  const p: MilestoneProblems = {};
  if (form.name.trim() === '') p.name = 'A milestone needs a name.';
  const kp = milestoneKeyProblem(form.key.trim(), taken, own);
  if (kp) p.key = kp;
  const due = form.due.trim();
  if (due === '') p.due = 'A milestone needs a due date (YYYY-MM-DD).';
  else if (!isIsoDate(due)) p.due = `"${due}" is not a date: write YYYY-MM-DD.`;
  if (form.components.length === 0) p.components = 'Tick at least one component to test together.';
  else if (componentKeys) {
    const known = new Set(componentKeys);
    const gone = form.components.filter((c) => !known.has(c));
    if (gone.length > 0) p.components = `The release has no component ${gone.map((c) => `"${c}"`).join(', ')} any more.`;
  }
  const blank = form.scenarios.findIndex((s) => s.text.trim() === '');
  if (blank >= 0) p.scenarios = `Scenario ${blank + 1} has no text: write one or remove it.`;
  return p;
}

export const hasProblems = (p: MilestoneProblems): boolean => Object.keys(p).length > 0;

/** The milestone a form describes: trimmed, optional fields left out when blank. */
export function milestoneOfForm(form: MilestoneForm): Milestone {
  const m: Milestone = {
    key: form.key.trim(),
    name: form.name.trim(),
    components: [...form.components],
    due: form.due.trim(),
  };
  if (form.phase !== '') m.phase = form.phase;
  if (form.environment.trim() !== '') m.environment = form.environment.trim();
  if (form.owners.length > 0) m.owners = [...form.owners];
  if (form.scenarios.length > 0) m.scenarios = form.scenarios.map((s) => ({ text: s.text.trim(), done: s.done }));
  return m;
}

const same = (a: Milestone, b: Milestone): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The one edit saving `form` makes, or null when it changes nothing.
 * - new (`original` null): put_milestone, at the end;
 * - same key: put_milestone, which replaces the milestone in place;
 * - key changed: a batch of remove_milestone(old key) then put_milestone(new) at the old index.
 * `milestones`: the release's milestones (for the old index).
 */
export function milestoneSaveEdit(
  release: string,
  original: Milestone | null,
  form: MilestoneForm,
  milestones: readonly Milestone[],
): Edit | null {
  const milestone = milestoneOfForm(form);
  if (original === null) return { op: 'put_milestone', release, milestone };
  if (same(milestoneOfForm(milestoneFormOf(original)), milestone)) return null;
  if (milestone.key === original.key) return { op: 'put_milestone', release, milestone };
  const at = milestones.findIndex((m) => m.key === original.key);
  return {
    op: 'batch',
    release,
    edits: [
      { op: 'remove_milestone', release, milestone: original.key },
      { op: 'put_milestone', release, milestone, index: at < 0 ? null : at },
    ],
  };
}

export function removeMilestoneEdit(release: string, key: string): Edit {
  return { op: 'remove_milestone', release, milestone: key };
}

// ---------------------------------------------------------------------------
// Checklist rows

/** A checklist row as its inputs hold it ("" = no owner / no due date). */
export interface ChecklistRow {
  text: string;
  owner: string;
  due: string;
  gate: boolean;
}

export function emptyChecklistRow(): ChecklistRow {
  return { text: '', owner: '', due: '', gate: false };
}

export function checklistRowOf(item: ChecklistItem): ChecklistRow {
  return { text: item.text, owner: item.owner ?? '', due: item.due ?? '', gate: item.gate };
}

/** What is wrong with a row (empty text, a due that is not a date), or null. */
export function checklistRowProblem(row: ChecklistRow): string | null {
  if (row.text.trim() === '') return 'A checklist item needs text.';
  const due = row.due.trim();
  if (due !== '' && !isIsoDate(due)) return `"${due}" is not a date: write YYYY-MM-DD (or leave it empty).`;
  return null;
}

/** The new, open item a row adds. */
export function checklistItemOfRow(row: ChecklistRow): ChecklistItem {
  return { text: row.text.trim(), owner: row.owner || null, due: row.due.trim() || null, done: false, gate: row.gate };
}

/** Sets one field of item `index`. */
export function checklistFieldEdit(release: string, index: number, field: ChecklistField, value: unknown): Edit {
  return { op: 'set_checklist_item', release, index, field, value };
}

/**
 * One batch setting the fields of item `index` that `row` changes (trimmed;
 * empty owner or due: cleared), or null when it changes none.
 */
export function checklistRowEdit(release: string, index: number, before: ChecklistItem, row: ChecklistRow): Edit | null {
  const edits: Edit[] = [];
  const text = row.text.trim();
  if (text !== before.text) edits.push(checklistFieldEdit(release, index, 'text', text));
  const owner = row.owner || null;
  if (owner !== (before.owner ?? null)) edits.push(checklistFieldEdit(release, index, 'owner', owner));
  const due = row.due.trim() || null;
  if (due !== (before.due ?? null)) edits.push(checklistFieldEdit(release, index, 'due', due));
  if (row.gate !== before.gate) edits.push(checklistFieldEdit(release, index, 'gate', row.gate));
  return edits.length === 0 ? null : { op: 'batch', release, edits };
}

export function removeChecklistItemEdit(release: string, index: number): Edit {
  return { op: 'remove_checklist_item', release, index };
}
