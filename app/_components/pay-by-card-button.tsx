'use client';

import { errorMessage } from '../_lib/error-message';
import { type NewOrder, useOpenOrder } from '../_lib/use-open-order';

/** A button that opens a card order and goes to its checkout (see useOpenOrder: one intent, one requestId). */
export function PayByCardButton(props: {
  order: NewOrder | (() => NewOrder | null);
  label: string;
  children: React.ReactNode;
}) {
  const create = useOpenOrder();

  function onClick() {
    const order = typeof props.order === 'function' ? props.order() : props.order;
    if (order) create.open(order);
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
      {create.error && (
        <p className="error" role="alert">
          {errorMessage(create.error)}
        </p>
      )}
    </div>
  );
}
