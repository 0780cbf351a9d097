import { z } from 'zod';
import { listCourses, purchasedCourseIds } from '../../../building-blocks/course/course.repository';
import { publicProcedure, router } from '../init';

const courseOutput = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  price: z.number().int(),
  purchased: z.boolean(),
});

export const courseRouter = router({
  /** The catalogue; `purchased` is the signed-in user's ownership (false for anonymous callers). */
  list: publicProcedure.output(z.array(courseOutput)).query(async ({ ctx }) => {
    const [courses, owned] = await Promise.all([
      listCourses(ctx.db),
      ctx.user ? purchasedCourseIds(ctx.db, ctx.user.id) : Promise.resolve(new Set<string>()),
    ]);
    return courses.map((course) => ({ ...course, purchased: owned.has(course.id) }));
  }),
});
