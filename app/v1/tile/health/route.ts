import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { tileHealth } from "@/lib/magento/health";
import { authenticateMagentoRequest } from "@/lib/magento/request-auth";

/** The Magento dashboard tile (wire-protocol §4.4); connection = JWT `sub`, optional `?provider=`. */
export const GET = route("v1.tile.health", async (req: Request) => {
  const { connection } = await authenticateMagentoRequest({ authorization: req.headers.get("authorization") });
  const provider = new URL(req.url).searchParams.get("provider") ?? undefined;
  return NextResponse.json(await tileHealth(connection, { provider }));
});
