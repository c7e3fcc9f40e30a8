import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/ui/auth-card";
import { sessionUserId } from "@/lib/auth/context";
import { SignInForm } from "./sign-in-form";
import { Alert } from "@/components/ui/alert";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string; code?: string }>;
}) {
  const { callbackUrl, error, code } = await searchParams;
  if (await sessionUserId()) redirect(callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/dashboard");
  return (
    <AuthCard title="Sign in" subtitle="Every Magento document in Sage, exactly once.">
      {error === "no_membership" ? (
        <Alert tone="warning">Your account is not a member of any workspace. Ask an owner to invite you.</Alert>
      ) : null}
      {error === "CredentialsSignin" && code === "too_many_attempts" ? (
        <Alert tone="warning" role="alert">
          Too many sign-in attempts. Try again in a few minutes.
        </Alert>
      ) : null}
      <SignInForm callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
