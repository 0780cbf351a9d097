'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { MAX_BALANCE } from '@/server/building-blocks/ledger/balance-rules';
import { won } from '../_lib/format';
import { useTRPC } from '../_lib/trpc';
import { PayByCardButton } from './pay-by-card-button';
import { PaySplitForm } from './pay-split-form';
import { BalancePurchaseResult, PayWithBalanceButton } from './pay-with-balance-button';

export function CourseCatalogue() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const courses = useQuery(trpc.course.list.queryOptions());

  if (courses.isPending) return <p className="muted">강의를 불러오는 중…</p>;
  if (courses.isError) return <p className="error">강의 목록을 불러오지 못했습니다. 새로고침해 주세요.</p>;

  return (
    <ul className="grid" style={{ listStyle: 'none', padding: 0 }} aria-label="강의">
      {courses.data.map((course) => (
        <li key={course.id} className="card course" aria-label={course.title}>
          <h2>{course.title}</h2>
          <p>{course.description}</p>
          <p className="price">{won(course.price)}</p>
          {course.purchased ? (
            <>
              <span className="badge">수강 중</span>
              <BalancePurchaseResult courseId={course.id} />
            </>
          ) : course.paymentInProgress ? (
            <div>
              <span className="badge pending">결제 확인 중</span>
              <p className="muted">
                결제 결과를 확인하고 있어요. 확인이 끝날 때까지 다시 구매할 수 없어요.{' '}
                <Link href="/orders">내 결제 내역</Link>
              </p>
            </div>
          ) : !me.data ? (
            <Link href="/sign-in">로그인하고 구매하기</Link>
          ) : (
            <div className="actions">
              {course.price > MAX_BALANCE ? (
                <span className="muted">잔액 한도(100,000원)를 넘어 카드로만 결제할 수 있습니다.</span>
              ) : (
                <PayWithBalanceButton course={course} />
              )}
              <PayByCardButton
                order={{ type: 'COURSE', courseId: course.id }}
                label={`${course.title} 카드로 결제`}
              >
                카드로 결제
              </PayByCardButton>
              <PaySplitForm course={course} />
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
