import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest";
import { signedOnly } from "@/inngest/signed";

const handlers = serve({ client: inngest, functions });

/** GET (introspection) and PUT (sync) reveal and change nothing without a signature; POST runs steps. */
export const { GET, PUT } = handlers;
export const POST = signedOnly(handlers.POST);
