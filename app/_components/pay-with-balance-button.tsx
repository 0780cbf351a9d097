'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { errorMessage, isDefiniteAnswer } from '../_lib/error-message';
import { won } from '../_lib/format';
import { useTRPC } from '../_lib/trpc';
import { useRequestId } from '../_lib/use-request-id';

/** Pays a course with the wallet balance. A double click is one intent, one requestId, one payment. */
export function PayWithBalanceButton({ course }: { course: { id: string; title: string; price: number } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const requestId = useRequestId();
  const inFlight = useRef(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);

  const pay = useMutation(
    trpc.wallet.pay.mutationOptions({
      onSuccess: (result) => {
        requestId.settle();
        setMessage({ kind: 'success', text: `결제 완료. 남은 잔액 ${won(result.balance)}` });
      },
      onError: (error) => {
        if (isDefiniteAnswer(error)) requestId.settle();
        setMessage({ kind: 'error', text: errorMessage(error) });
      },
      onSettled: async () => {
        inFlight.current = false;
        await queryClient.invalidateQueries();
      },
    }),
  );

  function onClick() {
    if (inFlight.current) return;
    inFlight.current = true;
    setMessage(null);
    pay.mutate({ courseId: course.id, requestId: requestId.current() });
  }

  return (
    <div>
      <button
        type="button"
        onClick={onClick}
        disabled={pay.isPending}
        aria-label={`${course.title} 잔액으로 결제`}
      >
        {pay.isPending ? '결제 중…' : `잔액으로 결제 (${won(course.price)})`}
      </button>
      {message && (
        <p className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </div>
  );
}
