import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import type { TenantContext } from "@/lib/auth/context";
import { assertCan, type Capability } from "@/lib/auth/roles";
import { AppError, fieldErrorsOf, isAppError, isDatabaseError, isTransientInfraError, type ErrorCode } from "@/lib/errors";
import { log } from "@/lib/log";

/**
 * The one contract of server actions, the twin of `route.ts` for forms: parse the input with zod,
 * check the role in one place (`assertCan`, lib/auth/roles.ts), map every error through the one
 * vocabulary (lib/errors.ts), and answer one result shape the forms understand:
 *
 *   { ok: true, data }  |  { ok: false, error: { code, message, fields?, suggestions? }, values? }
 *
 * `message` is always written for the person at the form (an AppError's own words, or a calm
 * sentence for anything unexpected, which is logged and never echoed). Next's control-flow signals
 * (redirect(), notFound(), the sign-in redirect of an expired session) pass through untouched.
 */

export interface ActionError {
  code: ErrorCode;
  message: string;
  /** Input name → what is wrong with it, shown under the field. */
  fields?: Record<string, string>;
  /** Input name → a corrected value the form may offer as a one-click fix. */
  suggestions?: Record<string, string>;
}

export type ActionResult<T = null> = { ok: true; data: T } | { ok: false; error: ActionError; values?: Record<string, string> };

/** What `useActionState` holds: nothing before the first submit. */
export type ActionState<T = null> = ActionResult<T> | null;

export type FormAction<T = null> = (prev: ActionState<T>, form: FormData) => Promise<ActionResult<T>>;

/** Who may call: anyone (sign-in, invitations, the embed), or a member of the current tenant with a capability. */
export type Access = "public" | Capability;
type Ctx<A extends Access> = A extends "public" ? null : TenantContext;

export interface ActionSpec<S extends z.ZodType, A extends Access> {
  /** For logs: "members.changeRole". */
  name: string;
  input: S;
  access: A;
  /** Where the sign-in page returns to when the session has expired (tenant actions); may depend on the raw input. */
  returnTo?: string | ((input: unknown) => string | undefined);
  /** Input names given back on failure so the form keeps what was typed (never secrets). */
  echo?: readonly string[];
  /** The sentence for an unexpected failure: what happened and whether anything changed. */
  unexpected?: string;
}

export interface ActionDeps {
  /** The signed-in user in their current tenant; redirects to sign-in without a session. */
  session: (returnTo: string | undefined) => Promise<TenantContext>;
}

const UNEXPECTED = "Something went wrong on our side; nothing was changed. Try again in a minute.";
const UNAVAILABLE = "Ledger is briefly unavailable; nothing was changed. Try again in a minute.";

/** FormData as a plain object for zod: repeated names become arrays, files are left out. */
export function formToObject(form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key).filter((v): v is string => typeof v === "string");
    if (values.length) out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

/** Any thrown value as the error the form shows. Unknown errors are logged here, with the action's name. */
export function toActionError(e: unknown, spec: { name: string; unexpected?: string }): ActionError {
  if (isAppError(e)) {
    const fields = e.fields ? Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, v.message])) : undefined;
    return { code: e.code, message: e.message, ...(fields ? { fields } : {}), ...(e.suggestions ? { suggestions: e.suggestions } : {}) };
  }
  if (isTransientInfraError(e) || isDatabaseError(e)) {
    log.warn({ action: spec.name, err: e }, "server action hit an infrastructure error");
    return { code: "service_unavailable", message: spec.unexpected ?? UNAVAILABLE };
  }
  log.error({ action: spec.name, err: e }, "server action failed");
  return { code: "internal", message: spec.unexpected ?? UNEXPECTED };
}

function echoed(raw: unknown, keys: readonly string[] | undefined): Record<string, string> | undefined {
  if (!keys?.length || typeof raw !== "object" || raw === null) return undefined;
  const src = raw as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const k of keys) if (typeof src[k] === "string") out[k] = src[k] as string;
  return out;
}

/** Authorise, parse, run, map: the whole contract, with the session lookup injectable for tests. */
export async function runAction<S extends z.ZodType, A extends Access, T>(
  spec: ActionSpec<S, A>,
  raw: FormData | unknown,
  run: (input: z.output<S>, ctx: Ctx<A>) => Promise<T>,
  deps: ActionDeps = defaultDeps,
): Promise<ActionResult<T>> {
  const input = raw instanceof FormData ? formToObject(raw) : raw;
  try {
    // Who first: a stranger learns nothing about what the input should have been.
    let ctx: TenantContext | null = null;
    if (spec.access !== "public") {
      ctx = await deps.session(typeof spec.returnTo === "function" ? spec.returnTo(input) : spec.returnTo);
      assertCan(ctx.role, spec.access as Capability);
    }
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      throw new AppError("validation_failed", parsed.error.issues[0]?.message ?? "Please check the form.", {
        fields: fieldErrorsOf(parsed.error),
      });
    }
    return { ok: true, data: await run(parsed.data, ctx as Ctx<A>) };
  } catch (e) {
    unstable_rethrow(e);
    const values = echoed(input, spec.echo);
    return { ok: false, error: toActionError(e, spec), ...(values ? { values } : {}) };
  }
}

const defaultDeps: ActionDeps = {
  // Loaded on first use: the contract itself stays importable without a request (unit tests).
  session: async (returnTo) => (await import("@/lib/auth/context")).requireTenantContext("read", returnTo),
};

/** For `useActionState` forms: `(previous state, FormData) → result`. */
export function formAction<S extends z.ZodType, A extends Access, T>(
  spec: ActionSpec<S, A>,
  run: (input: z.output<S>, ctx: Ctx<A>) => Promise<T>,
  deps?: ActionDeps,
): FormAction<T> {
  return async (_prev, form) => runAction(spec, form, run, deps);
}

/** For components that call the action directly with typed arguments (the settings editor). */
export function callAction<S extends z.ZodType, A extends Access, T>(
  spec: ActionSpec<S, A>,
  run: (input: z.output<S>, ctx: Ctx<A>) => Promise<T>,
  deps?: ActionDeps,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  return async (input) => runAction(spec, input, run, deps);
}

/**
 * For plain `<form action>`s whose success is a redirect or a refresh (sign out, switch workspace,
 * the Connect Sage steps): a failure has no form state to land in, so it is thrown as an AppError with
 * the mapped, user-safe message, for the error page.
 */
export function submitAction<S extends z.ZodType, A extends Access>(
  spec: ActionSpec<S, A>,
  run: (input: z.output<S>, ctx: Ctx<A>) => Promise<void>,
  deps?: ActionDeps,
): (form: FormData) => Promise<void> {
  return async (form) => {
    const r = await runAction(spec, form, run, deps);
    if (!r.ok) throw new AppError(r.error.code, r.error.message);
  };
}
