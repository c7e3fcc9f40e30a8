import type { Metadata } from "next";
import { RelativeTime } from "@/components/ui/relative-time";
import { requireTenantContext } from "@/lib/auth/context";
import { can } from "@/lib/auth/roles";
import { listPendingInvitations } from "@/lib/members/invitations";
import { listMembers } from "@/lib/members/members";
import { InviteForm, MembersTable, RevokeInviteForm } from "./member-forms";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const ctx = await requireTenantContext("read", "/dashboard/members");
  const owner = can(ctx.role, "manageMembers");
  const [members, invitations] = await Promise.all([
    listMembers(ctx.tenant.id),
    owner ? listPendingInvitations(ctx.tenant.id) : Promise.resolve([]),
  ]);
  const owners = members.filter((m) => m.role === "owner").length;
  return (
    <div className="space-y-8">
      <header>
        <h1 className="text-2xl font-semibold">Members</h1>
        <p className="text-muted">
          {owner
            ? "Who can see and change this workspace. A workspace always keeps at least one owner."
            : `Who can see and change this workspace. Only owners manage members (your role is ${ctx.role}).`}
        </p>
      </header>

      <section aria-labelledby="members-title">
        <h2 id="members-title" className="sr-only">
          Members
        </h2>
        <MembersTable
          owner={owner}
          members={members.map((m) => ({
            membershipId: m.membershipId,
            name: m.name,
            email: m.email,
            role: m.role,
            joinedAt: m.joinedAt,
            you: m.userId === ctx.user.id,
            lastOwner: m.role === "owner" && owners <= 1,
            manageable: owner && !(m.role === "owner" && owners <= 1),
          }))}
        />
      </section>

      {owner ? (
        <section aria-labelledby="invite-title" className="space-y-4 rounded-xl border border-line bg-surface p-6">
          <div>
            <h2 id="invite-title" className="text-base font-semibold">
              Invite someone
            </h2>
            <p className="text-muted">
              The link works once, for 7 days, and only for the address you enter. Ledger has no email sending: you send the link.
            </p>
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
                      {i.expired ? (
                        <span className="text-bad">expired</span>
                      ) : (
                        <>
                          expires <RelativeTime iso={i.expiresAt} />
                        </>
                      )}
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
