import { describe, expect, it } from 'vitest';
import { addNote, answersForm, changeNote, noteCount, noteProblems, removeNote, retrospectiveOf } from './notes';

describe('release notes', () => {
  it('refuses an empty text and a text twice, as the plan file does', () => {
    const notes = [
      { category: 'new' as const, text: 'Dark mode' },
      { category: 'fix' as const, text: '  ' },
      { category: 'fix' as const, text: 'Dark mode ' },
    ];
    expect(noteProblems(notes)).toEqual({ 1: 'Write what users get.', 2: 'This note is listed already.' });
    expect(noteProblems(notes.slice(0, 1))).toEqual({});
  });

  it('adds, changes and removes without touching the others', () => {
    let notes = addNote([], 'new', '  Dark mode ');
    expect(notes).toEqual([{ category: 'new', text: 'Dark mode' }]);
    notes = addNote(notes, 'fix', 'Faster login');
    notes = changeNote(notes, 0, { category: 'enhancement' });
    expect(notes[0]).toEqual({ category: 'enhancement', text: 'Dark mode' });
    expect(removeNote(notes, 0)).toEqual([{ category: 'fix', text: 'Faster login' }]);
  });

  it('counts the release’s notes and its components’', () => {
    expect(noteCount({ notes: [{ category: 'new', text: 'a' }], components: [{}, { notes: [{ category: 'fix', text: 'b' }] }] })).toBe(2);
  });
});

describe('review answers', () => {
  it('keeps answered questions only, trimmed, in the review’s order', () => {
    const form = answersForm([
      { heading: 'Timeline', questions: [{ question: 'Did we hit our dates?', answer: 'No' }, { question: 'What caused delays?', answer: null }] },
    ]);
    expect(form[0]!.items[1]!.answer).toBe('');
    form[0]!.items[1]!.answer = '  The API slipped ';
    form[0]!.items[0]!.answer = ' ';
    expect(retrospectiveOf(form)).toEqual([{ question: 'What caused delays?', answer: 'The API slipped' }]);
  });
});
