import type { DbOrTx, Tx } from '../db/client';

export const courseSelect = {
  id: true,
  title: true,
  description: true,
  price: true,
  retiredAt: true,
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Any string is a valid question ("which course is this?"); a non-UUID simply names no course. */
export function findCourse(db: DbOrTx, courseId: string) {
  if (!UUID.test(courseId)) return Promise.resolve(null);
  return db.course.findUnique({ where: { id: courseId }, select: courseSelect });
}

/** The catalogue: the courses on sale (a retired one stays only in old orders and history). */
export function listCourses(db: DbOrTx) {
  return db.course.findMany({
    where: { retiredAt: null },
    orderBy: [{ price: 'asc' }, { title: 'asc' }],
    select: courseSelect,
  });
}

/** Every course, retired ones included, newest first: the admin's list. */
export function listAllCourses(db: DbOrTx) {
  return db.course.findMany({
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    select: { ...courseSelect, createdAt: true, updatedAt: true },
  });
}

export function insertCourse(
  tx: Tx,
  course: {
    title: string;
    description: string;
    price: number;
    /** A course a service keeps in sync: its key's row id and the service's reference. */
    externalKeyId?: string;
    externalRef?: string;
  },
) {
  return tx.course.create({ data: course, select: courseSelect });
}

/** The course a service made under `reference` (per key), its row locked until `tx` ends; or null. */
export async function lockCourseByReference(tx: Tx, externalKeyId: string, reference: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM course WHERE external_key_id = ${externalKeyId}::uuid AND external_ref = ${reference} FOR UPDATE`;
  return rows[0] ? tx.course.findUniqueOrThrow({ where: { id: rows[0].id }, select: courseSelect }) : null;
}

/** The course as it stands, its row locked until `tx` ends, so a change's "before" is what it changed. */
export async function lockCourse(tx: Tx, courseId: string) {
  if (!UUID.test(courseId)) return null;
  const rows = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM course WHERE id = ${courseId}::uuid FOR UPDATE`;
  return rows[0] ? tx.course.findUniqueOrThrow({ where: { id: courseId }, select: courseSelect }) : null;
}

export function updateCourse(
  tx: Tx,
  courseId: string,
  data: { title?: string; description?: string; price?: number; retiredAt?: Date },
) {
  return tx.course.update({ where: { id: courseId }, data, select: courseSelect });
}

export async function purchasedCourseIds(db: DbOrTx, userId: string): Promise<Set<string>> {
  const rows = await db.enrollment.findMany({ where: { userId }, select: { courseId: true } });
  return new Set(rows.map((r) => r.courseId));
}

export const enrollmentSelect = {
  id: true,
  userId: true,
  courseId: true,
  orderId: true,
  createdAt: true,
} as const;

/**
 * Enrolls the user unless already enrolled; returns the new enrollment or null. A concurrent enrollment
 * of the same pair waits on the unique index and then gets null, so only one purchase can win.
 */
export async function enrollOnce(tx: Tx, userId: string, courseId: string, orderId: string | null = null) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO enrollment (user_id, course_id, order_id) VALUES (${userId}::uuid, ${courseId}::uuid, ${orderId})
    ON CONFLICT (user_id, course_id) DO NOTHING
    RETURNING id`;
  const row = rows[0];
  return row ? tx.enrollment.findUniqueOrThrow({ where: { id: row.id }, select: enrollmentSelect }) : null;
}

export async function removeEnrollment(tx: Tx, enrollmentId: string): Promise<void> {
  await tx.enrollment.delete({ where: { id: enrollmentId }, select: { id: true } });
}

/**
 * Ends the enrollment an order granted (its full refund), moving it as it was into ended_enrollment
 * (append-only) in the same statement, so what the purchase granted can still be told.
 */
export async function endEnrollmentsOf(tx: Tx, orderId: string): Promise<void> {
  await tx.$executeRaw`
    WITH ended AS (
      DELETE FROM enrollment WHERE order_id = ${orderId}
      RETURNING id, user_id, course_id, order_id, created_at)
    INSERT INTO ended_enrollment (id, user_id, course_id, order_id, created_at)
    SELECT id, user_id, course_id, order_id, created_at FROM ended`;
}

/** The enrollment an order granted, exactly as granted: still current, or ended by a refund since. */
export async function findEnrollmentGrantedBy(db: DbOrTx, orderId: string) {
  return (
    (await db.enrollment.findFirst({ where: { orderId }, select: enrollmentSelect })) ??
    (await db.endedEnrollment.findFirst({ where: { orderId }, select: enrollmentSelect }))
  );
}

export function findEnrollment(db: DbOrTx, userId: string, courseId: string) {
  return db.enrollment.findUnique({
    where: { userId_courseId: { userId, courseId } },
    select: enrollmentSelect,
  });
}

export async function linkEnrollmentToOrder(tx: Tx, enrollmentId: string, orderId: string) {
  return tx.enrollment.update({ where: { id: enrollmentId }, data: { orderId }, select: enrollmentSelect });
}

/** Every course's id and title (for reports). */
export function listCourseTitles(db: DbOrTx) {
  return db.course.findMany({ select: { id: true, title: true } });
}

/** Adds the course unless one with its id exists (whatever it holds now is left as it is). */
export async function addCourseIfMissing(
  db: DbOrTx,
  course: { id: string; title: string; description: string; price: number },
) {
  await db.course.upsert({ where: { id: course.id }, create: course, update: {}, select: { id: true } });
}
