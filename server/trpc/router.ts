import { adminRouter } from '../admin/admin.router';
import { authRouter } from '../auth/auth.router';
import { courseRouter } from '../course/course.router';
import { orderRouter } from '../order/order.router';
import { paymentRouter } from '../payment/payment.router';
import { walletRouter } from '../wallet/wallet.router';
import { createCallerFactory, router } from './init';

export const appRouter = router({
  auth: authRouter,
  wallet: walletRouter,
  course: courseRouter,
  order: orderRouter,
  payment: paymentRouter,
  admin: adminRouter,
});

/** The API's type, for other TypeScript apps: `import type { AppRouter } from '.../server/trpc/router'`. */
export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
