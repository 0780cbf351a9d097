import { z } from 'zod';
import { listCourses, purchasedCourseIds } from '../../../building-blocks/course/course.repository';
import { courseIdsWithPaymentInProgress } from '../../../building-blocks/order/order.repository';
import { publicProcedure, router } from '../init';

const courseOutput = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  price: z.number().int(),
  purchased: z.boolean(),
  /** A card payment of it by this user is being confirmed or checked with Toss: not for sale until it settles. */
  paymentInProgress: z.boolean(),
});

export const courseRouter = router({
  /** The catalogue; `purchased` is the signed-in user's ownership (false for anonymous callers). */
  list: publicProcedure.output(z.array(courseOutput)).query(async ({ ctx }) => {
    const none = Promise.resolve(new Set<string>());
    const [courses, owned, inProgress] = await Promise.all([
      listCourses(ctx.db),
      ctx.user ? purchasedCourseIds(ctx.db, ctx.user.id) : none,
      ctx.user ? courseIdsWithPaymentInProgress(ctx.db, ctx.user.id) : none,
    ]);
    return courses.map((course) => ({
      ...course,
      purchased: owned.has(course.id),
      paymentInProgress: !owned.has(course.id) && inProgress.has(course.id),
    }));
  }),
});
