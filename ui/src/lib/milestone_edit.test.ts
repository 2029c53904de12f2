import { describe, expect, it } from 'vitest';
import type { ChecklistItem, Milestone } from './generated';
import {
  checklistItemOfRow,
  checklistRowEdit,
  checklistRowOf,
  checklistRowProblem,
  emptyMilestoneForm,
  hasProblems,
  isIsoDate,
  milestoneFormOf,
  milestoneKeyFromName,
  milestoneKeyProblem,
  milestoneOfForm,
  milestoneProblems,
  milestoneSaveEdit,
  removeMilestoneEdit,
  toggled,
  withScenario,
} from './milestone_edit';

const checkout: Milestone = {
  key: 'checkout-e2e',
  name: 'Checkout end to end',
  phase: 'subsystem',
  components: ['web', 'api'],
  due: '2025-02-20',
  environment: 'staging',
  owners: ['qa'],
  scenarios: [
    { text: 'Pay by card', done: true },
    { text: 'Refund', done: false },
  ],
};
const pair: Milestone = { key: 'pair', name: 'Pair', components: ['a', 'b'], due: '2025-02-01' };
const all = [pair, checkout, { key: 'full', name: 'Full', components: ['a'], due: '2025-03-01' }];

describe('keys and dates', () => {
  it('derives the key from the name, unique among the milestones', () => {
    expect(milestoneKeyFromName('Checkout end-to-end')).toBe('checkout-end-to-end');
    expect(milestoneKeyFromName('Pair', ['pair'])).toBe('pair-2');
    expect(milestoneKeyFromName('!!!')).toBe('');
  });

  it('names what is wrong with a key; the milestone may keep its own', () => {
    expect(milestoneKeyProblem('', [])).toMatch(/needs a key/);
    expect(milestoneKeyProblem('Bad key', [])).toMatch(/not a key/);
    expect(milestoneKeyProblem('pair', ['pair'])).toMatch(/already/);
    expect(milestoneKeyProblem('pair', ['pair'], 'pair')).toBeNull();
    expect(milestoneKeyProblem('pair', ['pair'], 'other')).toMatch(/already/);
  });

  it('accepts only real YYYY-MM-DD dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-2-3')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });
});

describe('the milestone form', () => {
  it('round-trips a milestone and leaves blank optional fields out', () => {
    expect(milestoneOfForm(milestoneFormOf(checkout))).toEqual(checkout);
    expect(milestoneOfForm(milestoneFormOf(pair))).toEqual(pair);
    const f = milestoneFormOf(checkout);
    f.scenarios[0]!.done = false;
    f.components.push('x');
    expect(checkout.scenarios![0]!.done).toBe(true);
    expect(checkout.components).toEqual(['web', 'api']);
  });

  it('trims, and writes the phase only when one is chosen', () => {
    const f = { ...emptyMilestoneForm(), name: ' Smoke ', key: ' smoke ', due: ' 2025-03-01 ', components: ['a'], environment: '  ' };
    expect(milestoneOfForm(f)).toEqual({ key: 'smoke', name: 'Smoke', components: ['a'], due: '2025-03-01' });
    expect(milestoneOfForm({ ...f, phase: 'full_system' }).phase).toBe('full_system');
  });

  it('ticks in order, once, and unticks', () => {
    expect(toggled(['web', 'api'], 'db', true)).toEqual(['web', 'api', 'db']);
    expect(toggled(['web', 'api'], 'web', true)).toEqual(['web', 'api']);
    expect(toggled(['web', 'api'], 'web', false)).toEqual(['api']);
  });

  it('adds a scenario only with text', () => {
    expect(withScenario([], '  Log in  ')).toEqual([{ text: 'Log in', done: false }]);
    expect(withScenario([{ text: 'a', done: true }], '   ')).toEqual([{ text: 'a', done: true }]);
  });
});

describe('milestoneProblems', () => {
  it('needs a name, a due date and a component', () => {
    const p = milestoneProblems(emptyMilestoneForm(), [], null);
    expect(Object.keys(p).sort()).toEqual(['components', 'due', 'key', 'name']);
    expect(hasProblems(p)).toBe(true);
    expect(p.due).toMatch(/YYYY-MM-DD/);
  });

  it('refuses a bad date, a taken key, a gone component and a blank scenario', () => {
    const f = { ...milestoneFormOf(checkout), key: 'pair', due: '20/02/2025', components: ['web', 'gone'], scenarios: [{ text: ' ', done: false }] };
    const p = milestoneProblems(f, all.map((m) => m.key), 'checkout-e2e', ['web', 'api']);
    expect(p.key).toMatch(/already/);
    expect(p.due).toMatch(/"20\/02\/2025" is not a date/);
    expect(p.components).toMatch(/"gone"/);
    expect(p.scenarios).toMatch(/Scenario 1/);
  });

  it('is empty for a good form, an edit keeping its key', () => {
    const p = milestoneProblems(milestoneFormOf(checkout), all.map((m) => m.key), 'checkout-e2e', ['web', 'api']);
    expect(p).toEqual({});
    expect(hasProblems(p)).toBe(false);
  });
});

describe('milestoneSaveEdit', () => {
  it('puts a new milestone at the end', () => {
    const f = { ...emptyMilestoneForm(), name: 'Smoke', key: 'smoke', due: '2025-03-01', components: ['a'] };
    expect(milestoneSaveEdit('q1', null, f, all)).toEqual({
      op: 'put_milestone',
      release: 'q1',
      milestone: { key: 'smoke', name: 'Smoke', components: ['a'], due: '2025-03-01' },
    });
  });

  it('replaces the milestone under the same key', () => {
    const f = milestoneFormOf(checkout);
    f.due = '2025-02-27';
    f.owners = [];
    expect(milestoneSaveEdit('q1', checkout, f, all)).toEqual({
      op: 'put_milestone',
      release: 'q1',
      milestone: { ...checkout, due: '2025-02-27', owners: undefined },
    });
  });

  it('changes the key as one batch: remove the old, put the new at its index', () => {
    const f = { ...milestoneFormOf(checkout), key: 'checkout' };
    expect(milestoneSaveEdit('q1', checkout, f, all)).toEqual({
      op: 'batch',
      release: 'q1',
      edits: [
        { op: 'remove_milestone', release: 'q1', milestone: 'checkout-e2e' },
        { op: 'put_milestone', release: 'q1', milestone: { ...checkout, key: 'checkout' }, index: 1 },
      ],
    });
  });

  it('is null when nothing changed (blank optional fields count as unchanged)', () => {
    expect(milestoneSaveEdit('q1', checkout, milestoneFormOf(checkout), all)).toBeNull();
    const sparse: Milestone = { ...pair, phase: null, environment: null, owners: [], scenarios: [] };
    expect(milestoneSaveEdit('q1', sparse, milestoneFormOf(sparse), all)).toBeNull();
  });

  it('removes by key', () => {
    expect(removeMilestoneEdit('q1', 'pair')).toEqual({ op: 'remove_milestone', release: 'q1', milestone: 'pair' });
  });
});

describe('checklist rows', () => {
  const item: ChecklistItem = { text: 'Support briefed', owner: 'ops', due: '2025-03-10', done: false, gate: true };

  it('sends only the changed fields, as one batch', () => {
    const row = { ...checklistRowOf(item), text: ' Support team briefed ', due: '' };
    expect(checklistRowEdit('q1', 2, item, row)).toEqual({
      op: 'batch',
      release: 'q1',
      edits: [
        { op: 'set_checklist_item', release: 'q1', index: 2, field: 'text', value: 'Support team briefed' },
        { op: 'set_checklist_item', release: 'q1', index: 2, field: 'due', value: null },
      ],
    });
    const owner = checklistRowEdit('q1', 0, item, { ...checklistRowOf(item), owner: '', gate: false });
    expect(owner).toEqual({
      op: 'batch',
      release: 'q1',
      edits: [
        { op: 'set_checklist_item', release: 'q1', index: 0, field: 'owner', value: null },
        { op: 'set_checklist_item', release: 'q1', index: 0, field: 'gate', value: false },
      ],
    });
  });

  it('is null when nothing changed, absent owner and due included', () => {
    expect(checklistRowEdit('q1', 0, item, checklistRowOf(item))).toBeNull();
    const bare: ChecklistItem = { text: 'X', done: true, gate: false };
    expect(checklistRowEdit('q1', 0, bare, { text: 'X ', owner: '', due: ' ', gate: false })).toBeNull();
  });

  it('checks the text and the date, and makes a new open item', () => {
    expect(checklistRowProblem({ text: ' ', owner: '', due: '', gate: false })).toMatch(/needs text/);
    expect(checklistRowProblem({ text: 'X', owner: '', due: 'soon', gate: false })).toMatch(/"soon" is not a date/);
    expect(checklistRowProblem({ text: 'X', owner: '', due: '', gate: false })).toBeNull();
    expect(checklistItemOfRow({ text: ' X ', owner: '', due: '', gate: true })).toEqual({ text: 'X', owner: null, due: null, done: false, gate: true });
  });
});
