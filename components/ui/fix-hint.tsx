import Link from "next/link";
import { fixFor, fixHref } from "@/lib/status-views/fixes";

/**
 * A code turned into words (issue 17): the plain sentence for a skip reason, error class or warning
 * and, where there is one, the link to its fix (a settings card, Reconnect Sage, the Sage document).
 * The code itself stays beside it, small, for operators and support.
 */
export function FixHint({
  code,
  message,
  bindingId,
  sageDocument,
  compact = false,
}: {
  code: string | null | undefined;
  message?: string | null;
  bindingId: string;
  sageDocument?: string | null;
  /** one line in a table cell: the sentence shows on hover, the action and code stay */
  compact?: boolean;
}) {
  const fix = fixFor(code, message);
  if (!code) return null;
  const href = fix?.target ? fixHref(fix.target, bindingId, sageDocument) : null;
  const external = href?.startsWith("http");
  const link =
    fix?.action && href ? (
      external ? (
        <a href={href} target="_blank" rel="noreferrer" className="whitespace-nowrap text-accent hover:underline" data-fix-link>
          {fix.action} ↗
        </a>
      ) : (
        <Link href={href} className="whitespace-nowrap text-accent hover:underline" data-fix-link>
          {fix.action} →
        </Link>
      )
    ) : null;
  if (compact) {
    return (
      <span className="inline-flex flex-wrap items-baseline gap-x-2 text-xs" title={fix?.sentence} data-fix={code}>
        <code className="break-all text-muted">{code}</code>
        {link}
      </span>
    );
  }
  return (
    <p className="space-x-2" data-fix={code}>
      <span data-fix-sentence>{fix?.sentence ?? "No explanation is recorded for this code."}</span>
      {link}
      <code className="rounded bg-surface-2 px-1 text-xs text-muted">{code}</code>
    </p>
  );
}
