import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClass } from "./button";

/**
 * What an empty list says (ui.md: "empty states say what to do next, with the button to do it"):
 * a title, a sentence, and the one action that fills it — a link styled as a button, or any control.
 */

interface EmptyStateProps {
  title: ReactNode;
  children?: ReactNode;
  /** The next step: a link (`{ href, label }`) or a ready control (a form button). */
  action?: { href: string; label: string; variant?: "primary" | "secondary" } | ReactNode;
  "data-testid"?: string;
}

function isLink(a: EmptyStateProps["action"]): a is { href: string; label: string; variant?: "primary" | "secondary" } {
  return typeof a === "object" && a !== null && "href" in a && "label" in a;
}

export function EmptyState({ title, children, action, ...rest }: EmptyStateProps) {
  return (
    <div className="rounded-xl border border-dashed border-line bg-surface p-10 text-center" data-testid={rest["data-testid"]}>
      <h2 className="text-lg font-semibold">{title}</h2>
      {children ? <div className="mt-1 text-muted">{children}</div> : null}
      {isLink(action) ? (
        <Link href={action.href} className={buttonClass(action.variant ?? "secondary", "mt-4")}>
          {action.label}
        </Link>
      ) : action ? (
        <div className="mt-4">{action}</div>
      ) : null}
    </div>
  );
}
