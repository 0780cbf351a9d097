'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useRef } from 'react';
import { isDefiniteAnswer } from './error-message';
import { useTRPC } from './trpc';
import { useRequestId } from './use-request-id';

export type NewOrder =
  | { type: 'COURSE'; courseId: string; walletAmount?: number }
  | { type: 'CHARGE'; amount: number };

/**
 * Opens a card order on the server (which fixes the amount) and goes to its checkout page. One order is
 * one intent with one requestId: a retry after a lost answer gets the same order back (and, for a
 * composite order, the same single hold on the wallet); another order is another intent.
 */
export function useOpenOrder() {
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
  function open(order: NewOrder) {
    if (create.isPending) return;
    const intent = JSON.stringify(order);
    if (intent !== lastOrder.current) requestId.settle(); // another order, another intent
    lastOrder.current = intent;
    create.mutate({ ...order, requestId: requestId.current() });
  }
  return { open, isPending: create.isPending, error: create.error };
}
