import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/ui/auth-card";
import { sessionUserId } from "@/lib/auth/context";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string; code?: string }> }) {
  const { callbackUrl, error, code } = await searchParams;
  if (await sessionUserId()) redirect(callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/dashboard");
  return (
    <AuthCard title="Sign in" subtitle="Every Magento document in Sage, exactly once.">
      {error === "no_membership" ? (
        <p className="rounded-md bg-warn-soft px-3 py-2 text-warn">Your account is not a member of any workspace. Ask an owner to invite you.</p>
      ) : null}
      {error === "CredentialsSignin" && code === "too_many_attempts" ? (
        <p role="alert" className="rounded-md bg-warn-soft px-3 py-2 text-warn">Too many sign-in attempts. Try again in a few minutes.</p>
      ) : null}
      <SignInForm callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
