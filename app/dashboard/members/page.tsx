import type { Metadata } from "next";
import { RelativeTime } from "@/components/ui/relative-time";
import { requireTenantContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { listPendingInvitations } from "@/lib/members/invitations";
import { listMembers } from "@/lib/members/members";
import { InviteForm, RemoveForm, RevokeInviteForm, RoleForm } from "./member-forms";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const ctx = await requireTenantContext("read", "/dashboard/members");
  const owner = can(ctx.role, "manageMembers");
  const [members, invitations] = await Promise.all([listMembers(ctx.tenant.id), owner ? listPendingInvitations(ctx.tenant.id) : Promise.resolve([])]);
  const owners = members.filter((m) => m.role === "owner").length;
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-semibold">Members</h1>
        <p className="text-muted">
          {owner ? "Who can see and change this workspace. A workspace always keeps at least one owner." : `Who can see and change this workspace. Only owners manage members (your role is ${ctx.role}).`}
        </p>
      </header>

      <section aria-labelledby="members-title" className="rounded-xl border border-line bg-surface">
        <h2 id="members-title" className="sr-only">
          Members
        </h2>
        <table className="w-full text-left">
          <thead className="border-b border-line text-xs text-muted">
            <tr>
              <th className="px-5 py-2 font-medium">Name</th>
              <th className="px-5 py-2 font-medium">Email</th>
              <th className="px-5 py-2 font-medium">Role</th>
              <th className="px-5 py-2 font-medium">Joined</th>
              {owner ? <th className="px-5 py-2 font-medium"><span className="sr-only">Actions</span></th> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-line">
            {members.map((m) => {
              const who = m.name ?? m.email;
              const lastOwner = m.role === "owner" && owners <= 1;
              return (
                <tr key={m.membershipId}>
                  <td className="px-5 py-2.5 font-medium">
                    {who}
                    {m.userId === ctx.user.id ? <span className="ml-2 text-xs text-muted">(you)</span> : null}
                  </td>
                  <td className="px-5 py-2.5 text-muted">{m.email}</td>
                  <td className="px-5 py-2.5">{owner && !lastOwner ? <RoleForm membershipId={m.membershipId} role={m.role} who={who} /> : <span>{m.role}</span>}</td>
                  <td className="px-5 py-2.5 text-muted">
                    <RelativeTime iso={m.joinedAt} />
                  </td>
                  {owner ? (
                    <td className="px-5 py-2.5 text-right">
                      {lastOwner ? <span className="text-xs text-muted" title="Make someone else an owner first">Last owner</span> : <RemoveForm membershipId={m.membershipId} who={who} />}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      {owner ? (
        <section aria-labelledby="invite-title" className="space-y-4 rounded-xl border border-line bg-surface p-6">
          <div>
            <h2 id="invite-title" className="text-base font-semibold">
              Invite someone
            </h2>
            <p className="text-muted">The link works once, for 7 days, and only for the address you enter. Ledger has no email sending: you send the link.</p>
          </div>
          <InviteForm />
          {invitations.length ? (
            <div>
              <h3 className="text-sm font-medium">Pending invitations</h3>
              <ul className="mt-2 divide-y divide-line rounded-md border border-line">
                {invitations.map((i) => (
                  <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
                    <span>
                      {i.email} <span className="text-muted">· {i.role}</span>
                    </span>
                    <span className="flex items-center gap-3 text-xs text-muted">
                      {i.expired ? <span className="text-bad">expired</span> : <>expires <RelativeTime iso={i.expiresAt} /></>}
                      <RevokeInviteForm invitationId={i.id} email={i.email} />
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
