'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { adminErrorMessage, wholeWon } from '../../_lib/admin-error';
import { isDefiniteAnswer } from '../../_lib/error-message';
import { won } from '../../_lib/format';
import { useTRPC } from '../../_lib/trpc';
import { useRequestId } from '../../_lib/use-request-id';
import { AdminOnly } from './admin-only';

/** Title 1-100 characters, price whole won 100-10,000,000: the server's rule, checked before sending. */
function checkCourse(form: {
  title: string;
  price: string;
}): { field: 'title' | 'price'; text: string } | null {
  const title = form.title.trim();
  if (title.length < 1 || title.length > 100)
    return { field: 'title', text: '강의 제목은 1~100자로 입력해 주세요.' };
  const price = wholeWon(form.price);
  if (price === null || price < 100 || price > 10_000_000) {
    return { field: 'price', text: '가격은 100원에서 10,000,000원 사이의 정수로 입력해 주세요.' };
  }
  return null;
}

type Course = { id: string; title: string; description: string; price: number; retiredAt: Date | null };

export function CourseManager() {
  return (
    <AdminOnly>
      <CourseForm />
      <CourseTable />
    </AdminOnly>
  );
}

function CourseFields({
  idPrefix,
  form,
  onChange,
  error,
}: {
  idPrefix: string;
  form: { title: string; description: string; price: string };
  onChange: (patch: Partial<{ title: string; description: string; price: string }>) => void;
  error: { field?: string; text: string } | null;
}) {
  const describedBy = (field: string) => (error?.field === field ? `${idPrefix}-error` : undefined);
  return (
    <>
      <label htmlFor={`${idPrefix}-title`}>강의 제목</label>
      <input
        id={`${idPrefix}-title`}
        value={form.title}
        maxLength={100}
        onChange={(e) => onChange({ title: e.target.value })}
        aria-invalid={error?.field === 'title' || undefined}
        aria-describedby={describedBy('title')}
      />
      <label htmlFor={`${idPrefix}-description`}>강의 설명</label>
      <textarea
        id={`${idPrefix}-description`}
        value={form.description}
        maxLength={2000}
        rows={3}
        onChange={(e) => onChange({ description: e.target.value })}
      />
      <label htmlFor={`${idPrefix}-price`}>가격 (원)</label>
      <input
        id={`${idPrefix}-price`}
        inputMode="numeric"
        value={form.price}
        onChange={(e) => onChange({ price: e.target.value })}
        aria-invalid={error?.field === 'price' || undefined}
        aria-describedby={describedBy('price')}
        style={{ width: 160 }}
      />
    </>
  );
}

function CourseForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const requestId = useRequestId();
  const inFlight = useRef(false);
  const empty = { title: '', description: '', price: '' };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<{ field?: string; text: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const create = useMutation(
    trpc.admin.createCourse.mutationOptions({
      onSuccess: (course) => {
        requestId.settle();
        setDone(`"${course.title}" 강의를 ${won(course.price)}에 등록했어요. 지금부터 판매돼요.`);
        setForm(empty);
      },
      onError: (e) => {
        if (isDefiniteAnswer(e)) requestId.settle();
        setError({ text: adminErrorMessage(e) });
      },
      onSettled: async () => {
        inFlight.current = false;
        await queryClient.invalidateQueries();
      },
    }),
  );

  return (
    <form
      className="card stack"
      aria-label="새 강의 등록"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (inFlight.current) return;
        setDone(null);
        const invalid = checkCourse(form);
        if (invalid) return setError(invalid);
        inFlight.current = true;
        setError(null);
        create.mutate({
          title: form.title,
          description: form.description,
          price: wholeWon(form.price) ?? 0,
          requestId: requestId.current(),
        });
      }}
    >
      <h2>새 강의 등록</h2>
      <CourseFields
        idPrefix="new-course"
        form={form}
        error={error}
        onChange={(patch) => {
          setForm((f) => ({ ...f, ...patch }));
          setError(null);
          setDone(null);
          requestId.settle();
        }}
      />
      <div>
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? '등록하는 중…' : '강의 등록'}
        </button>
      </div>
      {error && (
        <p id="new-course-error" className="error" role="alert">
          {error.text}
        </p>
      )}
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
    </form>
  );
}

function CourseTable() {
  const trpc = useTRPC();
  const courses = useQuery({ ...trpc.admin.courses.queryOptions(), retry: false });
  const [editing, setEditing] = useState<string | null>(null);

  if (courses.isPending) return <p className="muted">강의 목록을 불러오는 중…</p>;
  if (courses.isError) {
    return (
      <p className="error" role="alert">
        {adminErrorMessage(courses.error)}
      </p>
    );
  }
  return (
    <>
      <h2>강의 목록</h2>
      {courses.data.length === 0 && <p className="muted">아직 강의가 없어요.</p>}
      {courses.data.map((course) => (
        <section key={course.id} className="card" aria-label={course.title}>
          <div className="row">
            <h3 style={{ margin: 0 }}>{course.title}</h3>
            <span className="price">{won(course.price)}</span>
            <span className="badge">{course.retiredAt ? '판매 종료' : '판매 중'}</span>
          </div>
          {course.description && <p className="muted">{course.description}</p>}
          {editing === course.id ? (
            <CourseEditor course={course} onClose={() => setEditing(null)} />
          ) : (
            <button type="button" className="secondary" onClick={() => setEditing(course.id)}>
              {course.title} 수정 또는 판매 종료
            </button>
          )}
        </section>
      ))}
    </>
  );
}

function CourseEditor({ course, onClose }: { course: Course; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    title: course.title,
    description: course.description,
    price: String(course.price),
  });
  const [reason, setReason] = useState('');
  const [error, setError] = useState<{ field?: string; text: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const prefix = `edit-${course.id}`;
  const onSettled = () => queryClient.invalidateQueries();

  const update = useMutation(
    trpc.admin.updateCourse.mutationOptions({
      onSuccess: (c) =>
        setDone(`저장했어요: "${c.title}" ${won(c.price)}. 이미 만들어진 주문의 금액은 바뀌지 않아요.`),
      onError: (e) => setError({ text: adminErrorMessage(e) }),
      onSettled,
    }),
  );
  const retire = useMutation(
    trpc.admin.retireCourse.mutationOptions({
      onSuccess: (c) => setDone(`"${c.title}" 강의의 판매를 종료했어요. 카탈로그에서 보이지 않아요.`),
      onError: (e) => setError({ text: adminErrorMessage(e) }),
      onSettled,
    }),
  );

  return (
    <div className="stack">
      <form
        className="stack"
        aria-label={`${course.title} 수정`}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setDone(null);
          const invalid = checkCourse(form);
          if (invalid) return setError(invalid);
          setError(null);
          update.mutate({
            courseId: course.id,
            title: form.title,
            description: form.description,
            price: wholeWon(form.price) ?? 0,
          });
        }}
      >
        <CourseFields
          idPrefix={prefix}
          form={form}
          error={error}
          onChange={(patch) => {
            setForm((f) => ({ ...f, ...patch }));
            setError(null);
          }}
        />
        <div className="row">
          <button type="submit" disabled={update.isPending}>
            저장
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            닫기
          </button>
        </div>
      </form>
      {!course.retiredAt && (
        <form
          className="stack"
          aria-label={`${course.title} 판매 종료`}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            setDone(null);
            if (!reason.trim()) return setError({ field: 'reason', text: '판매 종료 사유를 입력해 주세요.' });
            setError(null);
            retire.mutate({ courseId: course.id, reason });
          }}
        >
          <label htmlFor={`${prefix}-reason`}>판매 종료 사유</label>
          <input
            id={`${prefix}-reason`}
            value={reason}
            maxLength={500}
            onChange={(e) => {
              setReason(e.target.value);
              setError(null);
            }}
            aria-invalid={error?.field === 'reason' || undefined}
            aria-describedby={error?.field === 'reason' ? `${prefix}-error` : undefined}
          />
          <p className="muted">
            판매를 종료하면 새로 살 수 없어요. 이미 산 학습자의 주문과 수강은 그대로 남아요.
          </p>
          <div>
            <button type="submit" className="secondary" disabled={retire.isPending}>
              판매 종료
            </button>
          </div>
        </form>
      )}
      {error && (
        <p id={`${prefix}-error`} className="error" role="alert">
          {error.text}
        </p>
      )}
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
    </div>
  );
}
