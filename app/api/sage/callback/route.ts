import { sessionUserId } from "@/lib/auth/context";
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";
import { handleSageCallback } from "@/lib/bindings/sage-callback";

/** Sage's OAuth redirect URI (SAGE_REDIRECT_URI must point here): finishes Connect Sage. */
export const GET = route("sage.callback", (req: Request) =>
  handleSageCallback(req, { currentUserId: sessionUserId, baseUrl: env().LEDGER_BASE_URL }),
);
