import { describe, expect, it } from 'vitest';
import { teamHue, teamHues } from './teams';

describe('teamHues', () => {
  it('gives each team its own hue, in workspace order, and keeps it stable', () => {
    const hues = teamHues(['frontend', 'api', 'backend']);
    expect([...hues.values()]).toEqual([teamHue(0), teamHue(1), teamHue(2)]);
    expect(new Set(hues.values()).size).toBe(3);
    expect(teamHues(['frontend', 'api', 'backend']).get('api')).toBe(hues.get('api'));
  });

  it('adds teams only a component names after the known ones', () => {
    const hues = teamHues(['a'], ['b', 'a']);
    expect([...hues.keys()]).toEqual(['a', 'b']);
  });

  it('shifts hues once the palette wraps', () => {
    expect(teamHue(10)).not.toBe(teamHue(0));
  });
});
