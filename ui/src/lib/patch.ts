// An edit's answer, applied to the view the page holds (src-tauri/views/patch.rs
// makes it): only what changed comes over the IPC, and every object the patch
// does not touch stays the very object it was.

import type { Patch, ReleaseView, ViewAnswer } from './generated';

/** `value` after `patch`; `value` itself is never changed. Mirrors `views::patch::apply`. */
export function applyPatch(value: unknown, patch: Patch): unknown {
  switch (patch.op) {
    case 'set':
      return patch.value;
    case 'fields': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [key, p] of Object.entries(patch.fields)) out[key] = applyPatch(out[key] ?? null, p);
      for (const key of patch.removed) delete out[key];
      return out;
    }
    case 'items': {
      if (!Array.isArray(value)) return value;
      const out: unknown[] = value.slice(0, patch.len);
      while (out.length < patch.len) out.push(null);
      for (const item of patch.items) out[item.at] = applyPatch(out[item.at], item.patch);
      return out;
    }
  }
}

/**
 * The view an edit's answer describes, given the view the page holds; `null`
 * when the answer is a patch against another view (the page then loads the
 * release again).
 */
export function viewFromAnswer(held: ReleaseView | null, answer: ViewAnswer): ReleaseView | null {
  if (answer.kind === 'view') return answer.view;
  if (!held || held.version !== answer.base) return null;
  return applyPatch(held, answer.patch) as ReleaseView;
}
