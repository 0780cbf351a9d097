'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { errorMessage } from '../_lib/error-message';
import { useTRPC } from '../_lib/trpc';

type NewOrder =
  | { type: 'COURSE'; courseId: string; walletAmount?: number }
  | { type: 'CHARGE'; amount: number };

/** Opens a card order on the server (which fixes the amount) and goes to its checkout page. */
export function PayByCardButton(props: {
  order: NewOrder | (() => NewOrder | null);
  label: string;
  children: React.ReactNode;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(
    trpc.order.create.mutationOptions({ onSuccess: (order) => router.push(`/checkout/${order.orderId}`) }),
  );

  function onClick() {
    if (create.isPending) return;
    const order = typeof props.order === 'function' ? props.order() : props.order;
    if (order) create.mutate(order);
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
