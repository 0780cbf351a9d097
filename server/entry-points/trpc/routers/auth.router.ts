import { z } from 'zod';
import {
  sessionOutput,
  signInInput,
  signUpInput,
  userOutput,
} from '../../../building-blocks/schemas/auth.schemas';
import { isAdmin, signIn, signOut, signUp } from '../../../use-cases/auth/auth.service';
import { publicProcedure, router } from '../init';

export const authRouter = router({
  signUp: publicProcedure
    .input(signUpInput)
    .output(sessionOutput)
    .mutation(async ({ ctx, input }) => {
      const session = await signUp(ctx.db, ctx.auth, input, ctx.clientAddress);
      ctx.setSessionCookie(session.token, session.expiresAt);
      return { user: session.user, token: session.token };
    }),

  signIn: publicProcedure
    .input(signInInput)
    .output(sessionOutput)
    .mutation(async ({ ctx, input }) => {
      const session = await signIn(ctx.db, ctx.auth, input, ctx.clientAddress);
      ctx.setSessionCookie(session.token, session.expiresAt);
      return { user: session.user, token: session.token };
    }),

  /** Ends the current session (the token stops working at once) and clears the cookie. */
  signOut: publicProcedure.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
    if (ctx.sessionId) await signOut(ctx.db, ctx.sessionId);
    ctx.clearSessionCookie();
    return { ok: true as const };
  }),

  /** The signed-in user, or null for an anonymous caller. */
  me: publicProcedure
    .output(userOutput.extend({ isAdmin: z.boolean() }).nullable())
    .query(({ ctx }) => (ctx.user ? { ...ctx.user, isAdmin: isAdmin(ctx.user) } : null)),
});
