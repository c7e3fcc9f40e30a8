import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/ui/auth-card";
import { sessionUserId } from "@/lib/auth/context";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create account" };

export default async function SignUpPage() {
  if (await sessionUserId()) redirect("/dashboard");
  return (
    <AuthCard title="Create your Ledger account" subtitle="Then pair your Magento store and connect Sage.">
      <SignUpForm />
    </AuthCard>
  );
}
