import type { HTMLAttributes, ReactNode } from "react";

/**
 * One look for every message box: an error, a warning, something to know, or a success. Errors are
 * announced (`role="alert"`), successes politely (`role="status"`); warnings and notes are read in
 * place. `inline` is the small coloured sentence next to a control (no box).
 */

export type AlertTone = "info" | "warning" | "error" | "success";

const BOX: Record<AlertTone, string> = {
  info: "bg-info-soft text-info",
  warning: "bg-warn-soft text-warn",
  error: "bg-bad-soft text-bad",
  success: "bg-ok-soft text-ok",
};
const TEXT: Record<AlertTone, string> = { info: "text-info", warning: "text-warn", error: "text-bad", success: "text-ok" };
const ROLE: Partial<Record<AlertTone, string>> = { error: "alert", success: "status" };

interface AlertProps extends HTMLAttributes<HTMLElement> {
  tone?: AlertTone;
  inline?: boolean;
  children: ReactNode;
}

export function Alert({ tone = "info", inline = false, className = "", role, children, ...rest }: AlertProps) {
  const shared = { role: role ?? ROLE[tone], ...rest };
  if (inline) {
    return (
      <span {...shared} className={`${TEXT[tone]} ${className}`}>
        {children}
      </span>
    );
  }
  // A box that sets its own padding (a roomier banner) does not get the default one as well.
  const padding = /(^|\s)p[xytrbl]?-/.test(className) ? "" : "px-3 py-2";
  return (
    <div {...shared} className={`rounded-md ${padding} ${BOX[tone]} ${className}`}>
      {children}
    </div>
  );
}
