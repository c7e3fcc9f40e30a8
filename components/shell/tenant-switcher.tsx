"use client";

import { useRef } from "react";
import type { MembershipSummary } from "@/lib/auth/context";

/** Select a tenant; submits on change. Plain form so it works without JS too (with the button). */
export function TenantSwitcher({
  current,
  memberships,
  action,
}: {
  current: string;
  memberships: MembershipSummary[];
  action: (form: FormData) => Promise<void>;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  if (memberships.length < 2) {
    return <div className="truncate px-2 py-1.5 text-sm font-semibold">{memberships[0]?.tenantName}</div>;
  }
  return (
    <form ref={formRef} action={action}>
      <label className="sr-only" htmlFor="tenant-switcher">
        Workspace
      </label>
      <select
        id="tenant-switcher"
        name="tenantId"
        defaultValue={current}
        onChange={() => formRef.current?.requestSubmit()}
        className="w-full rounded-md border border-line bg-surface px-2 py-1.5 text-sm font-semibold"
      >
        {memberships.map((m) => (
          <option key={m.tenantId} value={m.tenantId}>
            {m.tenantName} · {m.role}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit">Switch</button>
      </noscript>
    </form>
  );
}
