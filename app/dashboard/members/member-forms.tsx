"use client";

import { useRef, useState } from "react";
import { DataTable, type DataColumn } from "@/components/data-table/data-table";
import { useAction } from "@/components/forms/use-action";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ActionState } from "@/lib/http/action";
import { changeRoleAction, inviteAction, removeMemberAction, revokeInvitationAction } from "./actions";

/** The Members page's table and the owner's controls; each control shows its own outcome next to it. */

export const ROLES = [
  { value: "viewer", label: "Viewer — reads everything" },
  { value: "operator", label: "Operator — also retries runs" },
  { value: "admin", label: "Admin — also edits settings and connections" },
  { value: "owner", label: "Owner — also manages members and bindings" },
] as const;

/** The sentence an action answered with, next to its control. */
function Outcome({ state }: { state: ActionState<string> }) {
  if (!state) return null;
  return state.ok ? (
    <Alert tone="success" inline className="text-xs">
      {state.data}
    </Alert>
  ) : (
    <Alert tone="error" inline className="text-xs">
      {state.error.message}
    </Alert>
  );
}

export function RoleForm({ membershipId, role, who }: { membershipId: string; role: string; who: string }) {
  const { state, action, pending } = useAction(changeRoleAction);
  const ref = useRef<HTMLFormElement>(null);
  return (
    <form ref={ref} action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="membershipId" value={membershipId} />
      <label className="sr-only" htmlFor={`role-${membershipId}`}>
        Role of {who}
      </label>
      <select
        id={`role-${membershipId}`}
        name="role"
        defaultValue={role}
        disabled={pending}
        onChange={() => ref.current?.requestSubmit()}
        className="rounded-md border border-line bg-surface px-2 py-1 text-sm"
      >
        {ROLES.map((r) => (
          <option key={r.value} value={r.value}>
            {r.value}
          </option>
        ))}
      </select>
      <Outcome state={state} />
    </form>
  );
}

export function RemoveForm({ membershipId, who }: { membershipId: string; who: string }) {
  const { state, action, pending } = useAction(removeMemberAction);
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!window.confirm(`Remove ${who} from this workspace? They lose access at once.`)) e.preventDefault();
      }}
      className="flex items-center gap-2"
    >
      <input type="hidden" name="membershipId" value={membershipId} />
      <button type="submit" disabled={pending} className={buttonClass("ghost", "text-bad")} aria-label={`Remove ${who}`}>
        Remove
      </button>
      <Outcome state={state} />
    </form>
  );
}

export function RevokeInviteForm({ invitationId, email }: { invitationId: string; email: string }) {
  const { state, action, pending } = useAction(revokeInvitationAction);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="invitationId" value={invitationId} />
      <button type="submit" disabled={pending} className={buttonClass("ghost")} aria-label={`Withdraw the invitation of ${email}`}>
        Withdraw
      </button>
      <Outcome state={state} />
    </form>
  );
}

export function InviteForm() {
  const { action, pending, error, field, hasFields, data: invite } = useAction(inviteAction);
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-4">
      <form action={action} className="grid items-end gap-3 sm:grid-cols-[1fr_20rem_auto]">
        <Field label="Email" name="email" type="email" required placeholder="colleague@shop.example" error={field("email")} />
        <div className="space-y-1">
          <label htmlFor="invite-role" className="block text-xs font-medium text-muted">
            Role
          </label>
          <select
            id="invite-role"
            name="role"
            defaultValue="viewer"
            className="block w-full rounded-md border border-line bg-surface px-3 py-2 text-sm"
          >
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={pending} className={buttonClass("primary")}>
          {pending ? "Creating…" : "Create invite link"}
        </button>
      </form>
      {error && !hasFields ? <Alert tone="error">{error.message}</Alert> : null}
      {invite ? (
        <Alert tone="success" className="space-y-2 border border-ok/40">
          <p>
            Invitation for {invite.email} as {invite.role}: it works once, only for that address, and expires{" "}
            <RelativeTime iso={invite.expiresAt} />. Ledger does not send email: copy the link and send it yourself.
          </p>
          <div className="flex gap-2">
            <input
              readOnly
              aria-label="Invite link"
              value={invite.link}
              onFocus={(e) => e.currentTarget.select()}
              className="min-w-0 flex-1 rounded-md border border-line bg-surface px-3 py-2 font-mono text-xs text-ink"
            />
            <button
              type="button"
              className={buttonClass("secondary")}
              onClick={async () => {
                await navigator.clipboard.writeText(invite.link);
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy link"}
            </button>
          </div>
        </Alert>
      ) : null}
    </div>
  );
}

export interface MemberListRow {
  membershipId: string;
  name: string | null;
  email: string;
  role: string;
  joinedAt: string;
  you: boolean;
  lastOwner: boolean;
  /** The viewer is an owner and this is not the last owner: the role can change. */
  manageable: boolean;
}

const nameOf = (m: MemberListRow) => m.name ?? m.email;

// Module-level: cells keep their identity across refreshes, so a control's outcome ("Role changed…") stays on screen.
const MEMBER_COLUMNS: DataColumn<MemberListRow>[] = [
  {
    id: "name",
    header: "Name",
    cell: ({ row: { original: m } }) => (
      <span className="font-medium">
        {nameOf(m)}
        {m.you ? <span className="ml-2 text-xs font-normal text-muted">(you)</span> : null}
      </span>
    ),
  },
  { id: "email", hideOnPhone: true, header: "Email", cell: ({ row: { original: m } }) => <span className="text-muted">{m.email}</span> },
  {
    id: "role",
    header: "Role",
    cell: ({ row: { original: m } }) =>
      m.manageable ? <RoleForm membershipId={m.membershipId} role={m.role} who={nameOf(m)} /> : <span>{m.role}</span>,
  },
  {
    id: "joined",
    hideOnPhone: true,
    phoneLabel: "Joined",
    header: "Joined",
    cell: ({ row: { original: m } }) => <RelativeTime iso={m.joinedAt} className="text-muted" />,
  },
];

const OWNER_COLUMNS: DataColumn<MemberListRow>[] = [
  ...MEMBER_COLUMNS,
  {
    id: "actions",
    hideOnPhone: true,
    className: "text-right",
    header: () => <span className="sr-only">Actions</span>,
    cell: ({ row: { original: m } }) =>
      m.lastOwner ? (
        <span className="text-xs text-muted" title="Make someone else an owner first">
          Last owner
        </span>
      ) : (
        <RemoveForm membershipId={m.membershipId} who={nameOf(m)} />
      ),
  },
];

/** The members in the one DataTable; an owner's table carries the role and removal controls. */
export function MembersTable({ members, owner }: { members: MemberListRow[]; owner: boolean }) {
  return <DataTable caption="Members" columns={owner ? OWNER_COLUMNS : MEMBER_COLUMNS} data={members} getRowId={(m) => m.membershipId} />;
}
