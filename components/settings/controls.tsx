"use client";

import { useId } from "react";

/** The small form pieces the settings cards are made of; each shows its inline error in red underneath. */

export function SettingsCard({
  id,
  title,
  description,
  children,
}: {
  id: string;
  title: string;
  description: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="scroll-mt-24 rounded-xl border border-line bg-surface p-6">
      <h2 id={`${id}-title`} className="text-base font-semibold">
        {title}
      </h2>
      <p className="mt-1 text-muted">{description}</p>
      <div className="mt-5 space-y-5">{children}</div>
    </section>
  );
}

export function ErrorText({ id, error }: { id?: string; error?: string }) {
  return error ? (
    <span id={id} className="block text-xs text-bad">
      {error}
    </span>
  ) : null;
}

export function Toggle({
  label,
  hint,
  checked,
  onChange,
  disabled,
  error,
}: {
  label: string;
  hint?: React.ReactNode;
  checked: boolean;
  onChange: (v: boolean) => void;
  disabled?: boolean;
  error?: string;
}) {
  const id = useId();
  return (
    <div className="flex items-start gap-3">
      <input
        id={id}
        type="checkbox"
        role="switch"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        className="mt-0.5 h-4 w-4 shrink-0 accent-accent"
      />
      <div className="space-y-0.5">
        <label htmlFor={id} className="font-medium">
          {label}
        </label>
        {hint ? (
          <p id={`${id}-hint`} className="text-xs text-muted">
            {hint}
          </p>
        ) : null}
        <ErrorText id={`${id}-error`} error={error} />
      </div>
    </div>
  );
}

export function TextInput({
  label,
  value,
  onChange,
  disabled,
  error,
  hint,
  type = "text",
  placeholder,
  hideLabel,
  className,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  disabled?: boolean;
  error?: string;
  hint?: string;
  type?: "text" | "email" | "date" | "number";
  placeholder?: string;
  hideLabel?: boolean;
  className?: string;
}) {
  const id = useId();
  return (
    <div className={`space-y-1 ${className ?? ""}`}>
      <label htmlFor={id} className={hideLabel ? "sr-only" : "block text-xs font-medium text-muted"}>
        {label}
      </label>
      <input
        id={id}
        type={type}
        value={value}
        disabled={disabled}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        className={`block w-full rounded-md border bg-surface px-3 py-2 text-sm text-ink outline-none focus:ring-2 focus:ring-accent/40 disabled:bg-surface-2 disabled:text-muted ${
          error ? "border-bad" : "border-line"
        }`}
      />
      {error ? (
        <ErrorText id={`${id}-error`} error={error} />
      ) : hint ? (
        <span id={`${id}-hint`} className="block text-xs text-muted">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

export function Choice<T extends string>({
  label,
  value,
  options,
  onChange,
  disabled,
  error,
  hideLabel,
}: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (v: T) => void;
  disabled?: boolean;
  error?: string;
  hideLabel?: boolean;
}) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className={hideLabel ? "sr-only" : "block text-xs font-medium text-muted"}>
        {label}
      </label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value as T)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className={`block w-full rounded-md border bg-surface px-3 py-2 text-sm text-ink disabled:bg-surface-2 disabled:text-muted ${error ? "border-bad" : "border-line"}`}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText id={`${id}-error`} error={error} />
    </div>
  );
}

export function RemoveRowButton({ label, onClick, disabled }: { label: string; onClick: () => void; disabled?: boolean }) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      aria-label={label}
      title={label}
      className="rounded-md px-2 py-2 text-muted hover:bg-surface-2 hover:text-bad disabled:opacity-40"
    >
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" className="fill-current">
        <path d="M6 1h4l.5 1H14v1.5H2V2h3.5L6 1Zm-2.5 4h9l-.7 9.2a1 1 0 0 1-1 .8H5.2a1 1 0 0 1-1-.8L3.5 5Z" />
      </svg>
    </button>
  );
}
