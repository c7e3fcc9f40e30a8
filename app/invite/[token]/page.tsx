import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/ui/auth-card";
import { buttonClass } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { sessionUserId } from "@/lib/auth/context";
import { db } from "@/lib/db";
import { inspectInvitation } from "@/lib/members/invitations";
import { switchAccountAction } from "./actions";
import { AcceptForm, SignUpForm } from "./invite-forms";
import { Alert } from "@/components/ui/alert";

// The token is in the URL: never send it on to another site.
export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await inspectInvitation(token);
  if (invite.status === "unknown") {
    return (
      <AuthCard title="This invitation link is not valid" subtitle="It may have been withdrawn or replaced by a newer one.">
        <p className="text-muted">Ask an owner of the workspace to invite you again.</p>
      </AuthCard>
    );
  }
  if (invite.status !== "valid") {
    return (
      <AuthCard
        title={invite.status === "expired" ? "This invitation has expired" : "This invitation has been used"}
        subtitle={invite.tenantName}
      >
        <p className="text-muted">
          {invite.status === "expired"
            ? "Invitations last 7 days. Ask an owner for a new link."
            : "If it was you, sign in to open the workspace."}
        </p>
        <Link href="/dashboard" className={buttonClass("secondary", "w-full")}>
          Go to the dashboard
        </Link>
      </AuthCard>
    );
  }

  const userId = await sessionUserId();
  const user = userId ? await db().user.findUnique({ where: { id: userId }, select: { email: true } }) : null;
  const subtitle = `You are invited to ${invite.tenantName} as ${invite.role}.`;
  const expires = invite.expiresAt ? (
    <p className="text-xs text-muted">
      This link expires <RelativeTime iso={invite.expiresAt} />.
    </p>
  ) : null;

  if (user && user.email === invite.email) {
    return (
      <AuthCard title={`Join ${invite.tenantName}`} subtitle={subtitle}>
        <p className="text-muted">Signed in as {user.email}.</p>
        <AcceptForm token={token} tenantName={invite.tenantName ?? "the workspace"} />
        {expires}
      </AuthCard>
    );
  }
  if (user) {
    return (
      <AuthCard title={`Join ${invite.tenantName}`} subtitle={subtitle}>
        <Alert tone="warning">
          This invitation is for {invite.email}, and you are signed in as {user.email}. Sign in with the invited address to accept it.
        </Alert>
        <form action={switchAccountAction}>
          <input type="hidden" name="token" value={token} />
          <button type="submit" className={buttonClass("primary", "w-full")}>
            Sign in as {invite.email}
          </button>
        </form>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={`Join ${invite.tenantName}`} subtitle={subtitle}>
      <SignUpForm token={token} email={invite.email ?? ""} />
      <p className="text-center text-muted">
        Already have an account for {invite.email}?{" "}
        <Link className="text-accent hover:underline" href={`/sign-in?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}>
          Sign in to accept
        </Link>
      </p>
      {expires}
    </AuthCard>
  );
}
