import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { z } from "zod";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { burnPasswordCheck, verifyPassword } from "./password";
import { endSession, sessionActive, startSession } from "./sessions";
import { beginSignIn, clientAddress, logRefusal, signInSucceeded } from "./throttle";

/** Auth.js session lifetime; the server-side record (lib/auth/sessions.ts) expires with it. */
const SESSION_MAX_AGE_SECONDS = 60 * 60 * 12;

/** Refused before the password was checked: the account or the address is in a delay (lib/auth/throttle.ts). */
export class TooManyAttempts extends CredentialsSignin {
  code = "too_many_attempts";
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(1024),
});

/**
 * Auth.js v5. Email + password through the Credentials provider with JWT sessions (Auth.js only
 * supports credentials with JWT sessions); the Prisma adapter keeps the Auth.js tables for OAuth
 * sign-in providers added later. The token carries only the user id and a session id; tenant and role
 * are re-read from the database on every request (lib/auth/context.ts), so a revoked membership takes
 * effect at once, and the session id must name a live server-side session (lib/auth/sessions.ts), so
 * signing out revokes the session: a copied cookie stops working.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  adapter: PrismaAdapter(db() as never),
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      // Both the sign-in form and Auth.js's own callback endpoint come through here, so the attempt
      // limits apply to every way in.
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new CredentialsSignin();
        const { email, password } = parsed.data;
        const address = clientAddress(request.headers);
        const refused = await beginSignIn(email, address);
        if (refused) {
          logRefusal(email, address, "dashboard", refused);
          throw new TooManyAttempts(refused.retryAfterSeconds);
        }
        const user = await db().user.findUnique({ where: { email } });
        if (!user?.passwordHash) {
          await burnPasswordCheck(password);
          throw new CredentialsSignin();
        }
        if (!(await verifyPassword(password, user.passwordHash))) throw new CredentialsSignin();
        await signInSucceeded(email, address);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  events: {
    async signOut(message) {
      if ("token" in message && message.token) await endSession(message.token.sid);
    },
  },
  callbacks: {
    async jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.sid = await startSession(user.id, SESSION_MAX_AGE_SECONDS);
        return token;
      }
      // Returning null ends the session: signed out elsewhere, expired, or a cookie minted without one.
      return (await sessionActive(token.sid, token.sub)) ? token : null;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
}));
