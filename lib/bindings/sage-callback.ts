import { childLog } from "@/lib/log";
import { completeSageConnect } from "./connect-sage";
import { isSageConnectError, type ConnectErrorCode } from "@/lib/sage/connect-errors";

/**
 * The OAuth redirect URI's logic (app/api/sage/callback/route.ts is a thin wrapper): always answers
 * with a browser redirect — to the binding, to the business picker, or back to the connect page
 * with an error code the page turns into a message. Never echoes `code` or `state`.
 */

const callbackLog = childLog({ component: "sage.callback" });

export const CONNECT_PAGE = "/dashboard/connect-sage";

export function connectPagePath(params: { binding?: string; selection?: string; error?: ConnectErrorCode }): string {
  const q = new URLSearchParams();
  if (params.binding) q.set("binding", params.binding);
  if (params.selection) q.set("selection", params.selection);
  if (params.error) q.set("error", params.error);
  const s = q.toString();
  return s ? `${CONNECT_PAGE}?${s}` : CONNECT_PAGE;
}

export const bindingPagePath = (bindingId: string) => `/dashboard/bindings/${encodeURIComponent(bindingId)}`;

function redirectTo(baseUrl: string, path: string): Response {
  return new Response(null, { status: 303, headers: { Location: new URL(path, baseUrl).toString(), "Cache-Control": "no-store" } });
}

export async function handleSageCallback(
  req: Request,
  deps: { currentUserId: () => Promise<string | null>; baseUrl: string },
): Promise<Response> {
  const q = new URL(req.url).searchParams;
  const state = q.get("state");
  if (!state) return redirectTo(deps.baseUrl, connectPagePath({ error: "state_missing" }));

  const userId = await deps.currentUserId();
  if (!userId) {
    // The code lives 60 s: a quick sign-in can still finish the connect, otherwise the page explains.
    const back = `/api/sage/callback?${q.toString()}`;
    return redirectTo(deps.baseUrl, `/sign-in?callbackUrl=${encodeURIComponent(back)}`);
  }

  try {
    const outcome = await completeSageConnect({ state, code: q.get("code"), error: q.get("error"), userId });
    if (outcome.kind === "select_business") {
      return redirectTo(deps.baseUrl, connectPagePath({ selection: outcome.selectionId }));
    }
    return redirectTo(deps.baseUrl, `${bindingPagePath(outcome.bindingId)}?connected=sage`);
  } catch (e) {
    if (isSageConnectError(e)) {
      callbackLog.info({ code: e.code, bindingId: e.bindingId }, "sage connect stopped");
      return redirectTo(deps.baseUrl, connectPagePath({ binding: e.bindingId, error: e.code }));
    }
    callbackLog.error({ err: e }, "sage connect failed unexpectedly");
    return redirectTo(deps.baseUrl, connectPagePath({ error: "internal" }));
  }
}
