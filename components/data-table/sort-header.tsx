import Link from "next/link";

/**
 * A column header that sorts on the server: a link to the same view with `sort`/`dir` changed.
 * Clicking the active column flips its direction.
 */
export function SortHeader({ label, active, dir, href }: { label: string; active: boolean; dir: "asc" | "desc"; href: string }) {
  return (
    <Link href={href} scroll={false} className={`inline-flex items-center gap-1 hover:text-ink ${active ? "text-ink" : ""}`}>
      {label}
      <span aria-hidden className="text-[10px]">
        {active ? (dir === "asc" ? "▲" : "▼") : "↕"}
      </span>
      {active ? <span className="sr-only">{dir === "asc" ? "(sorted ascending)" : "(sorted descending)"}</span> : null}
    </Link>
  );
}
