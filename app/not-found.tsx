import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

/** Unknown pages, and ids that belong to nobody or to another workspace: the same answer for both. */
export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="max-w-md space-y-4 rounded-xl border border-line bg-surface p-8 text-center shadow-sm">
        <div className="text-xs font-semibold uppercase tracking-wider text-accent">Ledger</div>
        <h1 className="text-xl font-semibold">Nothing here</h1>
        <p className="text-muted">This page does not exist, or it belongs to a workspace you are not a member of.</p>
        <Link href="/dashboard" className={buttonClass("primary")}>
          Back to your dashboard
        </Link>
      </div>
    </main>
  );
}
