"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-renders the server component every few seconds while the tab is visible, so new runs, status
 * changes and bulk-retry progress appear without a reload. `router.refresh()` keeps client state
 * (open drawer, selection, scroll position, typed search text).
 */
export function LiveRefresh({ everyMs = 3000 }: { everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const t = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, everyMs);
    return () => clearInterval(t);
  }, [router, everyMs]);
  return null;
}
