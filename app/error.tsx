'use client';

/** Shown when a page fails to render: words for the learner, never a stack trace. */
export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <section className="card" role="alert">
      <h1>문제가 발생했습니다</h1>
      <p>일시적인 오류로 화면을 보여 드리지 못했습니다. 결제는 두 번 처리되지 않습니다.</p>
      <button type="button" onClick={reset}>
        다시 시도
      </button>
    </section>
  );
}
