// The board: the six status columns of a release and the cards in each.

import { RELEASE_STATUSES, statusLabel, type ReleaseStatus } from './release';
import type { Component, ComponentSchedule } from './types';

export interface BoardCard {
  component: Component;
  schedule: ComponentSchedule | undefined;
}

export interface BoardColumn {
  status: ReleaseStatus;
  label: string;
  cards: BoardCard[];
}

/** Cards in the column of their status, in plan order; a team filter keeps only that team. */
export function boardColumns(
  components: readonly Component[],
  schedules: readonly ComponentSchedule[],
  team: string | null = null,
): BoardColumn[] {
  const byKey = new Map(schedules.map((s) => [s.key, s]));
  const columns = RELEASE_STATUSES.map((status) => ({ status, label: statusLabel(status), cards: [] as BoardCard[] }));
  for (const component of components) {
    if (team !== null && component.team !== team) continue;
    const column = columns.find((c) => c.status === component.status) ?? columns[0];
    column?.cards.push({ component, schedule: byKey.get(component.key) });
  }
  return columns;
}

/** The column under a point, from the columns' left edges and widths. */
export function columnAt(x: number, columns: readonly { left: number; width: number; status: ReleaseStatus }[]): ReleaseStatus | null {
  for (const c of columns) {
    if (x >= c.left && x < c.left + c.width) return c.status;
  }
  return null;
}
