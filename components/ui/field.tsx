import type { InputHTMLAttributes } from "react";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  error?: string;
  hint?: string;
}

/** A labelled input with its inline error underneath (red, the code's plain meaning). */
export function Field({ label, name, error, hint, className, ...input }: FieldProps) {
  const describedBy = error ? `${name}-error` : hint ? `${name}-hint` : undefined;
  return (
    <label className="block space-y-1">
      <span className="text-xs font-medium text-muted">{label}</span>
      <input
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`block w-full rounded-md border bg-surface px-3 py-2 text-sm text-ink outline-none focus:ring-2 focus:ring-accent/40 ${
          error ? "border-bad" : "border-line"
        } ${className ?? ""}`}
        {...input}
      />
      {error ? (
        <span id={`${name}-error`} className="block text-xs text-bad">
          {error}
        </span>
      ) : hint ? (
        <span id={`${name}-hint`} className="block text-xs text-muted">
          {hint}
        </span>
      ) : null}
    </label>
  );
}
