import { RELATIVE_RANGES, type RelativeRange } from '../audit/filters';
import type { ShareView } from './share-view';

/**
 * An audit view shared as "the last 15 minutes" would show whoever opens it later the 15 minutes
 * before they open it, which may hold none of what was shared. The link keeps the window the
 * sharer saw instead: the relative range becomes its start (`from`), so later events still follow.
 * Other views (the health history) keep their range: there "the last hour" is what is meant.
 */
export function freezeSharedView(view: ShareView, now: number): ShareView {
  const range = view.query.range as RelativeRange | undefined;
  if (view.path !== '/audit' || !range || !(range in RELATIVE_RANGES)) return view;
  const { range: _relative, ...rest } = view.query;
  return { ...view, query: { ...rest, from: new Date(now - RELATIVE_RANGES[range]).toISOString() } };
}
