// The release notes and the post-release review's answers as the Notes and
// Review tabs edit them: a list per owner (the release or one component),
// checked as the plan file checks it (no empty text, no text twice), and
// the answers to the review's questions as the plan's `retrospective`.

import type { Answer, Note, NoteCategory, QuestionGroup } from './generated';

export const NOTE_CATEGORIES: NoteCategory[] = ['new', 'enhancement', 'fix', 'breaking', 'known_issue', 'upgrade'];

export const NOTE_CATEGORY_LABELS: Record<NoteCategory, string> = {
  new: "What's new",
  enhancement: 'Enhancement',
  fix: 'Bug fix',
  breaking: 'Breaking change',
  known_issue: 'Known issue',
  upgrade: 'Upgrade instruction',
};

/** Why a list of notes would be refused, by index; empty when it is fine. */
export function noteProblems(notes: Note[]): Record<number, string> {
  const out: Record<number, string> = {};
  const seen = new Set<string>();
  notes.forEach((n, i) => {
    const text = n.text.trim();
    if (text === '') out[i] = 'Write what users get.';
    else if (seen.has(text)) out[i] = 'This note is listed already.';
    else seen.add(text);
  });
  return out;
}

/** The list with a note added at the end (text trimmed). */
export function addNote(notes: Note[], category: NoteCategory, text: string): Note[] {
  return [...notes, { category, text: text.trim() }];
}

/** The list with note `i` replaced. */
export function changeNote(notes: Note[], i: number, change: Partial<Note>): Note[] {
  return notes.map((n, j) => (j === i ? { ...n, ...change } : n));
}

export function removeNote(notes: Note[], i: number): Note[] {
  return notes.filter((_, j) => j !== i);
}

/** How many notes a release has, its own and its components'. */
export function noteCount(release: { notes?: Note[]; components: { notes?: Note[] }[] }): number {
  return (release.notes?.length ?? 0) + release.components.reduce((sum, c) => sum + (c.notes?.length ?? 0), 0);
}

/** The answers form: every question of the review with its saved answer ('' when none). */
export function answersForm(groups: QuestionGroup[]): { heading: string; items: { question: string; answer: string }[] }[] {
  return groups.map((g) => ({
    heading: g.heading,
    items: g.questions.map((q) => ({ question: q.question, answer: q.answer ?? '' })),
  }));
}

/** The plan's `retrospective` from the form: answered questions only, trimmed. */
export function retrospectiveOf(form: { items: { question: string; answer: string }[] }[]): Answer[] {
  const out: Answer[] = [];
  for (const g of form) {
    for (const q of g.items) {
      const answer = q.answer.trim();
      if (answer !== '') out.push({ question: q.question, answer });
    }
  }
  return out;
}
