import {
  type AdminActor,
  findAdminAction,
  recordAdminAction,
} from '../../building-blocks/audit/admin-action.repository';
import {
  findCourse,
  insertCourse,
  listAllCourses,
  lockCourse,
  updateCourse,
} from '../../building-blocks/course/course.repository';
import type { Db } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { MONEY_TRANSACTION_OPTIONS, runIdempotent } from '../../building-blocks/idempotency/run-idempotent';

/**
 * The course catalogue as an admin keeps it: create, edit (title, description, price), retire. Every
 * change writes its audit row (before and after) in its own transaction. A price change touches only
 * the course: an order stores its own amount and name when it is created, so none already made changes.
 */

export function listCoursesForAdmin(db: Db) {
  return listAllCourses(db);
}

/** Creates a course once per the admin's requestId (a double click makes one course, not two). */
export function createCourse(
  db: Db,
  admin: AdminActor,
  input: { title: string; description: string; price: number; requestId: string },
) {
  const { requestId, ...course } = input;
  return runIdempotent(
    db,
    { userId: admin.id, requestId, operation: 'admin.createCourse', payload: course },
    async (tx) => {
      const created = await insertCourse(tx, course);
      const audit = await recordAdminAction(tx, {
        admin,
        action: 'COURSE_CREATE',
        subjectType: 'COURSE',
        subjectId: created.id,
        details: {
          before: null,
          after: { title: created.title, description: created.description, price: created.price },
        },
      });
      return { ok: true, transactionId: audit.id, value: created };
    },
    async (tx, auditId) => {
      const { subjectId } = await findAdminAction(tx, auditId);
      const course = await findCourse(tx, subjectId);
      if (!course) throw new Error(`course ${subjectId} of audit row ${auditId} is gone`);
      return course;
    },
  );
}

type Editable = { title?: string; description?: string; price?: number };

/** Changes what was given; a change to nothing new is no change and writes no audit row. */
export function updateCourseDetails(db: Db, admin: AdminActor, courseId: string, edit: Editable) {
  return db.$transaction(async (tx) => {
    const course = await lockCourse(tx, courseId);
    if (!course) throw new DomainError('NOT_FOUND');
    const before: Editable = {};
    const after: Editable = {};
    for (const field of ['title', 'description', 'price'] as const) {
      const next = edit[field];
      if (next === undefined || next === course[field]) continue;
      Object.assign(before, { [field]: course[field] });
      Object.assign(after, { [field]: next });
    }
    if (Object.keys(after).length === 0) return course;
    const updated = await updateCourse(tx, course.id, after);
    await recordAdminAction(tx, {
      admin,
      action: 'COURSE_UPDATE',
      subjectType: 'COURSE',
      subjectId: course.id,
      details: { before, after },
    });
    return updated;
  }, MONEY_TRANSACTION_OPTIONS);
}

/** Takes a course off sale for good; retiring a retired course changes nothing. */
export function retireCourse(db: Db, admin: AdminActor, courseId: string, reason: string) {
  return db.$transaction(async (tx) => {
    const course = await lockCourse(tx, courseId);
    if (!course) throw new DomainError('NOT_FOUND');
    if (course.retiredAt) return course;
    const retired = await updateCourse(tx, course.id, { retiredAt: new Date() });
    await recordAdminAction(tx, {
      admin,
      action: 'COURSE_RETIRE',
      subjectType: 'COURSE',
      subjectId: course.id,
      details: {
        title: course.title,
        before: { retiredAt: null },
        after: { retiredAt: retired.retiredAt?.toISOString() ?? null },
      },
      reason,
    });
    return retired;
  }, MONEY_TRANSACTION_OPTIONS);
}
