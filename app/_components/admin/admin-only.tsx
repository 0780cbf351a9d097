'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../_lib/trpc';

/** Shows the operator's tools to admins only (the server refuses everyone else anyway). */
export function AdminOnly({ children }: { children: React.ReactNode }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  if (me.isPending) return <p className="muted">불러오는 중…</p>;
  if (!me.data?.isAdmin) {
    return (
      <p className="error" role="alert">
        관리자만 볼 수 있는 페이지입니다.
      </p>
    );
  }
  return <>{children}</>;
}
