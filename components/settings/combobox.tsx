"use client";

import { useId, useMemo, useRef, useState } from "react";

/**
 * A dropdown with type-ahead over reference data (ARIA 1.2 combobox with a list popup): typing filters
 * by name or id, arrows move, Enter picks, Escape closes. A value that is not among the options (a Sage
 * record deleted since it was picked) shows as "(missing) <id>" in red, so it is seen and replaced.
 */

export interface ComboOption {
  id: string;
  label: string;
}

interface Props {
  label: string;
  value: string | null;
  options: ComboOption[];
  onChange: (id: string | null) => void;
  /** When set, an explicit "nothing" option with this label is offered first (e.g. "None — never auto-pay"). */
  noneLabel?: string;
  placeholder?: string;
  disabled?: boolean;
  error?: string;
  /** Hide the visible label (rows in a table label themselves); it stays for screen readers. */
  hideLabel?: boolean;
}

const NONE = "\u0000none";

export function Combobox({ label, value, options, onChange, noneLabel, placeholder = "Choose…", disabled, error, hideLabel }: Props) {
  const id = useId();
  const listId = `${id}-list`;
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);

  const selected = value === null ? null : options.find((o) => o.id === value);
  const missing = value !== null && !selected;
  const shown = query ?? (selected ? selected.label : missing ? `(missing) ${value}` : value === null && noneLabel ? noneLabel : "");

  const all = useMemo(() => (noneLabel ? [{ id: NONE, label: noneLabel }, ...options] : options), [options, noneLabel]);
  const filtered = useMemo(() => {
    const q = (query ?? "").trim().toLowerCase();
    return q ? all.filter((o) => o.label.toLowerCase().includes(q) || o.id.toLowerCase().includes(q)) : all;
  }, [all, query]);

  const pick = (o: ComboOption) => {
    onChange(o.id === NONE ? null : o.id);
    setQuery(null);
    setOpen(false);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) setOpen(true);
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((a) => (filtered.length ? (a + step + filtered.length) % filtered.length : 0));
    } else if (e.key === "Enter" && open) {
      e.preventDefault();
      const o = filtered[active];
      if (o) pick(o);
    } else if (e.key === "Escape") {
      setQuery(null);
      setOpen(false);
    }
  };

  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="relative space-y-1">
      <label htmlFor={id} className={hideLabel ? "sr-only" : "block text-xs font-medium text-muted"}>
        {label}
      </label>
      <input
        ref={inputRef}
        id={id}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && filtered[active] ? `${id}-opt-${active}` : undefined}
        aria-invalid={error || missing ? true : undefined}
        aria-describedby={errorId}
        autoComplete="off"
        disabled={disabled}
        placeholder={placeholder}
        value={shown}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onClick={() => setOpen(true)}
        onBlur={() => {
          // Let a click on an option land before the list closes.
          setTimeout(() => {
            setOpen(false);
            setQuery(null);
          }, 120);
        }}
        onKeyDown={onKeyDown}
        className={`block w-full rounded-md border bg-surface px-3 py-2 text-sm outline-none focus:ring-2 focus:ring-accent/40 disabled:bg-surface-2 disabled:text-muted ${
          error || missing ? "border-bad" : "border-line"
        } ${missing && query === null ? "text-bad" : "text-ink"}`}
      />
      {open && !disabled ? (
        <ul
          id={listId}
          role="listbox"
          aria-label={label}
          className="absolute z-20 mt-1 max-h-60 w-full overflow-auto rounded-md border border-line bg-surface py-1 shadow-lg"
        >
          {filtered.length === 0 ? (
            <li className="px-3 py-2 text-muted">No match in your Sage data</li>
          ) : (
            filtered.map((o, i) => (
              <li
                key={o.id}
                id={`${id}-opt-${i}`}
                role="option"
                aria-selected={o.id === (value ?? NONE)}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(o)}
                onMouseEnter={() => setActive(i)}
                className={`cursor-pointer px-3 py-1.5 ${i === active ? "bg-surface-2" : ""} ${o.id === (value ?? NONE) ? "font-medium" : ""}`}
              >
                {o.label}
                {o.id !== NONE && o.label !== o.id ? <span className="ml-2 text-xs text-muted">{o.id}</span> : null}
              </li>
            ))
          )}
        </ul>
      ) : null}
      {error ? (
        <span id={errorId} className="block text-xs text-bad">
          {error}
        </span>
      ) : null}
    </div>
  );
}
