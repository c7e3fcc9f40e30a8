import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/** Email + password + the refusal message + submit: shared by the dashboard and the embed sign-in. */
export function CredentialFields({
  email,
  error,
  pending,
  autoFocus,
}: {
  email?: string;
  error?: string;
  pending: boolean;
  autoFocus?: boolean;
}) {
  return (
    <>
      <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={email} autoFocus={autoFocus} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </>
  );
}
