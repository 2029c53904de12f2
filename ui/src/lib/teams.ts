// Team colours: one hue per team, in workspace order, the same in every view.

const HUES = [212, 150, 28, 280, 350, 190, 95, 48, 320, 250];

/** The hue of the team at `index` in the workspace's team order. */
export function teamHue(index: number): number {
  const hue = HUES[index % HUES.length] ?? 0;
  return (hue + 17 * Math.floor(index / HUES.length)) % 360;
}

/** `team key -> hue`, from the workspace order; teams not in the list come after. */
export function teamHues(teamKeys: readonly string[], extra: readonly string[] = []): Map<string, number> {
  const map = new Map<string, number>();
  for (const key of [...teamKeys, ...extra]) {
    if (!map.has(key)) map.set(key, teamHue(map.size));
  }
  return map;
}

/** Fill and stroke of a team's nodes and bars. */
export function teamColors(hue: number, dark: boolean): { fill: string; stroke: string; text: string } {
  return dark
    ? { fill: `hsl(${hue} 45% 24%)`, stroke: `hsl(${hue} 60% 62%)`, text: `hsl(${hue} 30% 92%)` }
    : { fill: `hsl(${hue} 75% 93%)`, stroke: `hsl(${hue} 55% 45%)`, text: `hsl(${hue} 45% 18%)` };
}
