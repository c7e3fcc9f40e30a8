import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { entityStatus } from "@/lib/magento/health";
import { authenticateMagentoRequest } from "@/lib/magento/request-auth";

/** `GET /v1/status?entity_type=&entity_id=` (wire-protocol §4.1 #3, §12.13): the latest run, mirror-shaped; connection = JWT `sub`. */
export const GET = route("v1.status", async (req: Request) => {
  const { connection } = await authenticateMagentoRequest({ authorization: req.headers.get("authorization") });
  return NextResponse.json(await entityStatus(connection, new URL(req.url).searchParams));
});
