import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { disconnectFromMagento } from "@/lib/magento/disconnect";

/**
 * Magento admin's Disconnect (wire-protocol §4.1 #4; the path keeps Magento's word for its
 * connection): body `{}`, connection = JWT `sub`. Idempotent; the body is ignored (Magento sends
 * literally `{}` and swallows any failure).
 */
export const POST = route("v1.tenant.disconnect", async (req: Request) => {
  const result = await disconnectFromMagento({ authorization: req.headers.get("authorization") });
  return NextResponse.json({ status: result.status }, { status: 200 });
});
