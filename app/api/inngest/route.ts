import { serve } from "inngest/next";
import { functions } from "@/inngest";
import { inngest } from "@/lib/jobs/client";
import { signedOnly } from "@/lib/jobs/signed";

const handlers = serve({ client: inngest, functions });

/** GET (introspection) and PUT (sync) reveal and change nothing without a signature; POST runs steps. */
export const { GET, PUT } = handlers;
export const POST = signedOnly(handlers.POST);
