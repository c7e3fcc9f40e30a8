"use client";

import { useActionState } from "react";
import type { ActionError, ActionState, FormAction } from "@/lib/http/action";

/**
 * `useActionState` for the one action contract (lib/http/action.ts): the last result, the form's
 * `action`, whether it is running, and the pieces forms show — the error, a field's problem, a typed
 * value to put back, the success data.
 */
export function useAction<T>(act: FormAction<T>) {
  const [state, action, pending] = useActionState<ActionState<T>, FormData>(act, null);
  const error: ActionError | null = state && !state.ok ? state.error : null;
  return {
    state,
    action,
    pending,
    error,
    data: state?.ok ? state.data : undefined,
    /** The problem with one input, shown under it. */
    field: (name: string): string | undefined => error?.fields?.[name],
    /** True when the error is about specific inputs (the form shows them there, not in a banner). */
    hasFields: Boolean(error?.fields && Object.keys(error.fields).length),
    /** What the person typed, given back after a refusal. */
    value: (name: string): string | undefined => (state && !state.ok ? state.values?.[name] : undefined),
  };
}
