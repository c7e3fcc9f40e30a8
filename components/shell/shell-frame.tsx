"use client";

import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * The dashboard frame: the sidebar beside the content on wide screens; on phones (below 768 px,
 * ui.md) a top bar with a menu button, and the same sidebar opening over the page. One sidebar in the
 * DOM either way (the tenant switcher's id stays unique); it closes on navigation and on Esc.
 */
export function ShellFrame({ workspace, sidebar, children }: { workspace: string; sidebar: React.ReactNode; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const path = usePathname();
  const [openedAt, setOpenedAt] = useState(path);
  // Close the menu when a link inside it navigates (adjusting state during render, not in an effect).
  if (open && path !== openedAt) setOpen(false);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <header className="sticky top-0 z-30 flex items-center justify-between gap-3 border-b border-line bg-surface px-4 py-2 md:hidden">
        <span className="truncate text-sm font-semibold">{workspace}</span>
        <button
          type="button"
          aria-expanded={open}
          aria-controls="main-sidebar"
          onClick={() => {
            setOpenedAt(path);
            setOpen(!open);
          }}
          className="inline-flex items-center gap-1.5 rounded-md border border-line px-2.5 py-1.5 text-sm hover:bg-surface-2"
        >
          <svg
            viewBox="0 0 16 16"
            className="h-4 w-4"
            fill="none"
            stroke="currentColor"
            strokeWidth={1.8}
            strokeLinecap="round"
            aria-hidden
          >
            {open ? <path d="M4 4l8 8M12 4l-8 8" /> : <path d="M2.5 4h11M2.5 8h11M2.5 12h11" />}
          </svg>
          {open ? "Close" : "Menu"}
        </button>
      </header>
      <div
        id="main-sidebar"
        data-open={open || undefined}
        className={`${open ? "fixed inset-x-0 bottom-0 top-[49px] z-30 flex overflow-y-auto" : "hidden"} md:static md:flex md:overflow-visible`}
      >
        {sidebar}
      </div>
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
