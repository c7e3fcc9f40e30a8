"use client";

import { useQueryStates } from "nuqs";
import { useCallback, useMemo } from "react";
import { normaliseHistoryFilter, type HistoryFilter } from "@/lib/history/filter";
import { historyParams, historyViewParams } from "@/lib/history/href";

/**
 * The history's URL state in the browser (nuqs, the same parsers as the server page): the filter and
 * view as the URL says, and moves to another filter or run. Each move is a new history entry (Back
 * returns to the previous view) and re-renders the page on the server, which does the filtering.
 */
export function useHistoryUrl() {
  const [state, setState] = useQueryStates(historyViewParams, { history: "push", shallow: false, scroll: false });
  const filter = useMemo(() => {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { limit, cursor, run, ...loaded } = state;
    return normaliseHistoryFilter(loaded);
  }, [state]);
  const view = useMemo(() => ({ limit: state.limit, cursor: state.cursor || null, run: state.run || null }), [state.limit, state.cursor, state.run]);
  return {
    filter,
    view,
    /** Another filter: back to the newest runs with the drawer closed, as the filter links do. */
    setFilter: useCallback((patch: Partial<HistoryFilter>) => setState(historyParams({ ...filter, ...patch })), [filter, setState]),
    /** Open one run's drawer over the same list. */
    openRun: useCallback((id: string) => setState({ run: id }), [setState]),
  };
}
