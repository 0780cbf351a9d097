'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useRef } from 'react';
import { errorMessage, isDefiniteAnswer } from '../_lib/error-message';
import { useTRPC } from '../_lib/trpc';
import { useRequestId } from '../_lib/use-request-id';

type NewOrder =
  | { type: 'COURSE'; courseId: string; walletAmount?: number }
  | { type: 'CHARGE'; amount: number };

/**
 * Opens a card order on the server (which fixes the amount) and goes to its checkout page. One click is
 * one intent with one requestId: a retry after a lost answer gets the same order back (and, for a
 * composite order, the same single hold on the wallet); another order is another intent.
 */
export function PayByCardButton(props: {
  order: NewOrder | (() => NewOrder | null);
  label: string;
  children: React.ReactNode;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const requestId = useRequestId();
  const lastOrder = useRef<string | null>(null);
  const create = useMutation(
    trpc.order.create.mutationOptions({
      onSuccess: (order) => {
        requestId.settle();
        router.push(`/checkout/${order.orderId}`);
      },
      onError: (error) => {
        if (isDefiniteAnswer(error)) requestId.settle();
      },
    }),
  );

  function onClick() {
    if (create.isPending) return;
    const order = typeof props.order === 'function' ? props.order() : props.order;
    if (!order) return;
    if (JSON.stringify(order) !== lastOrder.current) requestId.settle(); // another order, another intent
    lastOrder.current = JSON.stringify(order);
    create.mutate({ ...order, requestId: requestId.current() });
  }

  return (
    <div>
      <button
        type="button"
        className="secondary"
        onClick={onClick}
        disabled={create.isPending}
        aria-label={props.label}
      >
        {props.children}
      </button>
      {create.isError && (
        <p className="error" role="alert">
          {errorMessage(create.error)}
        </p>
      )}
    </div>
  );
}
