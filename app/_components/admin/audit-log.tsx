'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditAction } from '@/server/building-blocks/schemas/admin.schemas';
import { adminErrorMessage } from '../../_lib/admin-error';
import { dateTime } from '../../_lib/format';
import { useTRPC } from '../../_lib/trpc';
import { LoadMore } from '../load-more';
import { AdminOnly } from './admin-only';

const ACTION_LABEL = {
  WALLET_ADJUSTMENT: '지갑 조정',
  COURSE_CREATE: '강의 등록',
  COURSE_UPDATE: '강의 수정',
  COURSE_RETIRE: '강의 판매 종료',
  ALERT_ACKNOWLEDGE: '알림 확인',
  ALERT_RESOLVE: '알림 해결',
  ORDER_REFUND: '환불',
  ORDER_RECHECK: '토스에 다시 확인',
  SERVICE_KEY_CREATE: '서비스 키 발급',
  SERVICE_KEY_REVOKE: '서비스 키 폐기',
  SERVICE_KEY_ROTATE: '서비스 키 교체',
  WEBHOOK_ENDPOINT_CREATE: '웹훅 엔드포인트 등록',
  WEBHOOK_ENDPOINT_UPDATE: '웹훅 이벤트 종류 변경',
  WEBHOOK_ENDPOINT_ROTATE: '웹훅 서명 키 교체',
  WEBHOOK_ENDPOINT_DISABLE: '웹훅 엔드포인트 중지',
  EVENT_REDELIVER: '이벤트 다시 보내기',
} as const satisfies Record<AuditAction, string>;

type Action = keyof typeof ACTION_LABEL;

const SUBJECT_LABEL: Record<string, string> = {
  USER: '학습자',
  COURSE: '강의',
  ORDER: '주문',
  ALERT: '알림',
  SERVICE_KEY: '서비스 키',
  WEBHOOK_ENDPOINT: '웹훅 엔드포인트',
  EVENT: '이벤트',
};

/** Before and after, as the row recorded them (JSON, shown as it is: the log never reinterprets itself). */
function changeText(details: unknown): string {
  if (!details || typeof details !== 'object') return '';
  const { before, after, ...rest } = details as { before?: unknown; after?: unknown };
  const parts = [];
  if (before !== undefined) parts.push(`전: ${JSON.stringify(before)}`);
  if (after !== undefined) parts.push(`후: ${JSON.stringify(after)}`);
  if (Object.keys(rest).length > 0) parts.push(JSON.stringify(rest));
  return parts.join(' · ');
}

export function AuditLog() {
  return (
    <AdminOnly>
      <AuditLogTable />
      <RoleChanges />
    </AdminOnly>
  );
}

function AuditLogTable() {
  const trpc = useTRPC();
  const [filter, setFilter] = useState({ action: '' as '' | Action, subject: '', from: '', to: '' });
  const [applied, setApplied] = useState(filter);
  const log = useInfiniteQuery({
    ...trpc.admin.auditLog.infiniteQueryOptions(
      {
        limit: 50,
        action: applied.action || undefined,
        subject: applied.subject.trim() || undefined,
        from: applied.from || undefined,
        to: applied.to || undefined,
      },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
    retry: false,
  });
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <form
        className="card row"
        aria-label="감사 기록 필터"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filter);
        }}
      >
        <label htmlFor="audit-action" style={{ margin: 0 }}>
          작업
        </label>
        <select
          id="audit-action"
          value={filter.action}
          onChange={(e) => setFilter({ ...filter, action: e.target.value as Action | '' })}
        >
          <option value="">전체</option>
          {Object.entries(ACTION_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <label htmlFor="audit-subject" style={{ margin: 0 }}>
          대상 (ID 또는 학습자 이메일)
        </label>
        <input
          id="audit-subject"
          value={filter.subject}
          onChange={(e) => setFilter({ ...filter, subject: e.target.value })}
          style={{ width: 260 }}
        />
        <label htmlFor="audit-from" style={{ margin: 0 }}>
          시작일
        </label>
        <input
          id="audit-from"
          type="date"
          value={filter.from}
          onChange={(e) => setFilter({ ...filter, from: e.target.value })}
          style={{ width: 170 }}
        />
        <label htmlFor="audit-to" style={{ margin: 0 }}>
          종료일
        </label>
        <input
          id="audit-to"
          type="date"
          value={filter.to}
          onChange={(e) => setFilter({ ...filter, to: e.target.value })}
          style={{ width: 170 }}
        />
        <button type="submit">조회</button>
      </form>
      {log.isPending && <p className="muted">감사 기록을 불러오는 중…</p>}
      {log.isError && (
        <p className="error" role="alert">
          {adminErrorMessage(log.error)}
        </p>
      )}
      {log.isSuccess && items.length === 0 && <p className="muted">조건에 맞는 기록이 없어요.</p>}
      {items.length > 0 && (
        <table className="stacked" aria-label="감사 기록">
          <thead>
            <tr>
              <th>일시</th>
              <th>관리자</th>
              <th>작업</th>
              <th>대상</th>
              <th>변경 내용</th>
              <th>사유 · 메모</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td data-label="일시">{dateTime(item.createdAt)}</td>
                <td data-label="관리자">{item.adminEmail}</td>
                <td data-label="작업">{ACTION_LABEL[item.action]}</td>
                <td data-label="대상">
                  {SUBJECT_LABEL[item.subjectType] ?? item.subjectType} {item.subjectId}
                </td>
                <td data-label="변경 내용" style={{ wordBreak: 'break-all' }}>
                  {changeText(item.details)}
                </td>
                <td data-label="사유 · 메모">{item.reason ?? '-'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore query={log} />
    </>
  );
}

/** Admin grants and revocations: made with `npm run admin` on the server, never from the console. */
function RoleChanges() {
  const trpc = useTRPC();
  const changes = useQuery(trpc.admin.roleChanges.queryOptions(undefined, { retry: false }));
  return (
    <section aria-labelledby="role-changes">
      <h2 id="role-changes">관리자 권한 변경</h2>
      <p className="muted">
        관리자 권한은 서버에서 npm run admin 으로만 주고 거둘 수 있어요. 실행할 때마다 여기에 남아요.
      </p>
      {changes.isPending && <p className="muted">권한 변경 기록을 불러오는 중…</p>}
      {changes.isError && (
        <p className="error" role="alert">
          {adminErrorMessage(changes.error)}
        </p>
      )}
      {changes.data && changes.data.length === 0 && <p className="muted">권한 변경 기록이 없어요.</p>}
      {changes.data && changes.data.length > 0 && (
        <table className="stacked" aria-label="관리자 권한 변경">
          <thead>
            <tr>
              <th>일시</th>
              <th>대상</th>
              <th>변경</th>
              <th>실행한 사람</th>
              <th>사유</th>
            </tr>
          </thead>
          <tbody>
            {changes.data.map((change) => (
              <tr key={change.id}>
                <td data-label="일시">{dateTime(change.createdAt)}</td>
                <td data-label="대상">{change.email}</td>
                <td data-label="변경">
                  {change.action === 'GRANT' ? '관리자 권한 부여' : '관리자 권한 회수'}
                </td>
                <td data-label="실행한 사람">{change.changedBy}</td>
                <td data-label="사유">{change.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
