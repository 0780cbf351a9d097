import {
  insertCourse,
  lockCourseByReference,
  updateCourse,
} from '../../building-blocks/course/course.repository';
import type { Db, Tx } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import type { ServiceCaller } from './authenticate-service';
import { runServiceRequest } from './service-request';

/**
 * The catalogue as the course service keeps it in sync: a course is upserted and retired by the
 * service's own reference for it (unique per key). A price change touches only the course, as an
 * admin's does: orders already made keep their amount. A retired course stays retired (an upsert
 * changes its details, never puts it back on sale).
 */

type Course = { id: string; title: string; description: string; price: number; retiredAt: Date | null };

const view = (course: Course, reference: string) => ({
  courseId: course.id,
  reference,
  title: course.title,
  description: course.description,
  price: course.price,
  retiredAt: course.retiredAt,
});

async function byReference(tx: Tx, service: ServiceCaller, reference: string) {
  const course = await lockCourseByReference(tx, service.id, reference);
  if (!course) throw new DomainError('NOT_FOUND', 'No course has this reference.');
  return course;
}

export function upsertServiceCourse(
  db: Db,
  service: ServiceCaller,
  input: { reference: string; title: string; description: string; price: number; requestId: string },
) {
  const { requestId, ...course } = input;
  return runServiceRequest(
    db,
    { serviceKeyId: service.id, requestId, operation: 'service.catalogue.upsert', payload: course },
    async (tx) => {
      const existing = await lockCourseByReference(tx, service.id, course.reference);
      const details = { title: course.title, description: course.description, price: course.price };
      const saved = existing
        ? await updateCourse(tx, existing.id, details)
        : await insertCourse(tx, { ...details, externalKeyId: service.id, externalRef: course.reference });
      return { subjectId: saved.id, value: view(saved, course.reference) };
    },
    async (tx) => view(await byReference(tx, service, course.reference), course.reference),
  );
}

export function retireServiceCourse(
  db: Db,
  service: ServiceCaller,
  input: { reference: string; requestId: string },
) {
  return runServiceRequest(
    db,
    {
      serviceKeyId: service.id,
      requestId: input.requestId,
      operation: 'service.catalogue.retire',
      payload: { reference: input.reference },
    },
    async (tx) => {
      const course = await byReference(tx, service, input.reference);
      const retired = course.retiredAt
        ? course
        : await updateCourse(tx, course.id, { retiredAt: new Date() });
      return { subjectId: course.id, value: view(retired, input.reference) };
    },
    async (tx) => view(await byReference(tx, service, input.reference), input.reference),
  );
}
