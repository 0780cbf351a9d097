import { createCallerFactory, router } from './init';
import { adminRouter } from './routers/admin.router';
import { authRouter } from './routers/auth.router';
import { courseRouter } from './routers/course.router';
import { orderRouter } from './routers/order.router';
import { paymentRouter } from './routers/payment.router';
import { serviceRouter } from './routers/service.router';
import { walletRouter } from './routers/wallet.router';

export const appRouter = router({
  auth: authRouter,
  wallet: walletRouter,
  course: courseRouter,
  order: orderRouter,
  payment: paymentRouter,
  admin: adminRouter,
  service: serviceRouter,
});

/** The API's type, for other TypeScript apps: `import type { AppRouter } from '.../server/entry-points/trpc/router'`. */
export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
