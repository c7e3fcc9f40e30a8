import Link from "next/link";
import { bindingTitle } from "@/lib/bindings/detail";

/** The current binding (store ↔ Sage business) at the top of every binding-scoped page (ui.md, Frame). */
export function BindingHeader({
  bindingId,
  baseUrl,
  sage,
  page,
  children,
}: {
  bindingId: string;
  baseUrl: string;
  sage: { businessName: string; region: string } | null;
  page?: string;
  children?: React.ReactNode;
}) {
  return (
    <header className="space-y-1">
      <nav aria-label="Breadcrumb" className="text-xs text-muted">
        <Link href="/dashboard/bindings" className="hover:text-ink hover:underline">
          Bindings
        </Link>
        {page ? (
          <>
            {" / "}
            <Link href={`/dashboard/bindings/${bindingId}`} className="hover:text-ink hover:underline">
              {bindingTitle(baseUrl, sage)}
            </Link>
          </>
        ) : null}
      </nav>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{page ?? bindingTitle(baseUrl, sage)}</h1>
        {children}
      </div>
      {page ? <p className="text-muted">{bindingTitle(baseUrl, sage)}</p> : null}
    </header>
  );
}
