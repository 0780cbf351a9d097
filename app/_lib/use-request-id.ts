'use client';

import { useRef } from 'react';

/**
 * One requestId per user intent. `current()` returns the id for the intent in progress (creating it on
 * first use); a retry after a network failure reuses it, so the server applies the intent at most once.
 * `settle()` ends the intent once the server has given a definite answer.
 */
export function useRequestId() {
  const id = useRef<string | null>(null);
  return {
    current: () => {
      id.current ??= crypto.randomUUID();
      return id.current;
    },
    settle: () => {
      id.current = null;
    },
  };
}
