'use client';

import { useSyncExternalStore } from 'react';

/**
 * Balance purchases made on this page, by course: the catalogue swaps the buy button for 수강 중 as soon
 * as the purchase lands, and the result (balance left, link to the order) must stay on screen anyway.
 */
export interface RecentPurchase {
  orderId: string;
  balance: number;
}

const purchases = new Map<string, RecentPurchase>();
const listeners = new Set<() => void>();

export function rememberPurchase(courseId: string, purchase: RecentPurchase): void {
  purchases.set(courseId, purchase);
  for (const listener of listeners) listener();
}

export function useRecentPurchase(courseId: string): RecentPurchase | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => purchases.get(courseId),
    () => undefined,
  );
}
