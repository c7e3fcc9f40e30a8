"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * The right-hand drawer around a run's detail. Esc or the close button goes back to the list URL
 * (without `run=`), keeping the scroll position; focus moves into the drawer when it opens. On phones it
 * covers the whole screen (ui.md) so Sage's message is not clipped.
 */
export function DrawerShell({ closeHref, title, children }: { closeHref: string; title: string; children: React.ReactNode }) {
  const router = useRouter();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        router.push(closeHref, { scroll: false });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [closeHref, router, title]);
  return (
    <aside
      ref={ref}
      tabIndex={-1}
      role="dialog"
      aria-modal="false"
      aria-label={title}
      data-drawer-open
      className="fixed inset-0 z-40 flex w-full flex-col bg-surface shadow-2xl outline-none md:left-auto md:max-w-xl md:border-l md:border-line"
    >
      <div className="flex items-center justify-between border-b border-line px-5 py-3">
        <h2 className="text-base font-semibold">{title}</h2>
        <Link
          href={closeHref}
          scroll={false}
          className="rounded-md px-2 py-1 text-muted hover:bg-surface-2"
          aria-label="Close run detail (Esc)"
        >
          ✕ <kbd className="text-xs">Esc</kbd>
        </Link>
      </div>
      <div className="min-w-0 flex-1 overflow-y-auto break-words px-4 py-4 md:px-5">{children}</div>
    </aside>
  );
}
