"use client";

import { useRouter } from "next/navigation";
import { useQueryStates } from "nuqs";
import { useCallback, useMemo } from "react";
import { normaliseHistoryFilter, type HistoryFilter } from "@/lib/history/filter";
import { historyHref, historyViewParams } from "@/lib/history/href";

/**
 * The history's URL state in the browser: read through nuqs with the same parsers as the server page,
 * and moved with links written by the same serializer. A move is a navigation (a new history entry;
 * Back returns to the previous view) whose URL changes once the server has rendered the new rows —
 * never before, so the table, its counts and a pending bulk-retry confirmation always belong to the
 * URL on screen (nuqs's own setter would write the URL first).
 */
export function useHistoryUrl() {
  const router = useRouter();
  const [state] = useQueryStates(historyViewParams);
  const filter = useMemo(() => {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { limit, cursor, run, ...loaded } = state;
    return normaliseHistoryFilter(loaded);
  }, [state]);
  const view = useMemo(
    () => ({ limit: state.limit, cursor: state.cursor || null, run: state.run || null }),
    [state.limit, state.cursor, state.run],
  );
  return {
    filter,
    view,
    /** Another filter: back to the newest runs with the drawer closed, as the filter links do. */
    setFilter: useCallback(
      (patch: Partial<HistoryFilter>) => router.push(historyHref({ ...filter, ...patch }), { scroll: false }),
      [filter, router],
    ),
    /** Open one run's drawer over the same list. */
    openRun: useCallback((id: string) => router.push(historyHref(filter, { ...view, run: id }), { scroll: false }), [filter, view, router]),
  };
}
