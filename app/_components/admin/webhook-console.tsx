'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { EVENT_TYPES, type EventType } from '@/server/building-blocks/events/event-types';
import { adminErrorMessage } from '../../_lib/admin-error';
import { dateTime } from '../../_lib/format';
import { useTRPC } from '../../_lib/trpc';
import { AdminOnly } from './admin-only';

/** What each event means, in words (the type itself is shown beside it: it is what receivers see). */
const EVENT_LABEL: Record<EventType, string> = {
  'order.approved': '결제 승인',
  'order.failed': '결제 실패',
  'order.canceled': '결제 취소',
  'order.in_doubt': '결제 확인 중',
  'refund.succeeded': '환불 완료',
  'wallet.changed': '지갑 잔액 변경',
  'course.purchased': '강의 구매',
  'course.refunded': '강의 환불',
};

const DELIVERY_LABEL = { PENDING: '전송 중', DELIVERED: '전송됨', FAILED: '실패' } as const;

/**
 * The outgoing-events console: the endpoints other services receive our signed events at (create,
 * event types, secret rotation, disable) and the event log with every delivery attempt, with
 * redelivery of one event or of everything that failed since a time. Every action is audited.
 */
export function WebhookConsole() {
  return (
    <AdminOnly>
      <Endpoints />
      <EventLog />
    </AdminOnly>
  );
}

function EventTypePicker({
  idPrefix,
  value,
  onChange,
}: {
  idPrefix: string;
  value: string[];
  onChange: (next: string[]) => void;
}) {
  return (
    <fieldset>
      <legend>보낼 이벤트</legend>
      {EVENT_TYPES.map((type) => (
        <label key={type} htmlFor={`${idPrefix}-${type}`}>
          <input
            id={`${idPrefix}-${type}`}
            type="checkbox"
            checked={value.includes(type)}
            onChange={(e) => onChange(e.target.checked ? [...value, type] : value.filter((t) => t !== type))}
          />
          {EVENT_LABEL[type]} ({type})
        </label>
      ))}
    </fieldset>
  );
}

/** A new secret, shown once: the server keeps it only sealed and never shows it again. */
function SecretOnce({ secret }: { secret: string }) {
  return (
    <div className="card" role="status">
      <p>이 서명 키는 지금 한 번만 보여드려요. 받는 서비스에 저장해 주세요.</p>
      <code>{secret}</code>
    </div>
  );
}

function Endpoints() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const endpoints = useQuery({ ...trpc.admin.webhookEndpoints.queryOptions(), retry: false });
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<string[]>(['order.approved', 'refund.succeeded']);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(
    trpc.admin.createWebhookEndpoint.mutationOptions({
      onSuccess: (result) => {
        setSecret(result.secret);
        setUrl('');
        setDescription('');
        setError(null);
      },
      onError: (e) => setError(adminErrorMessage(e)),
      onSettled: () => queryClient.invalidateQueries(),
    }),
  );

  return (
    <section aria-label="엔드포인트" className="stack">
      <h2>엔드포인트</h2>
      <form
        className="card stack"
        aria-label="엔드포인트 등록"
        onSubmit={(e) => {
          e.preventDefault();
          setSecret(null);
          create.mutate({ url, description, eventTypes: types as EventType[] });
        }}
      >
        <label htmlFor="endpoint-url">주소</label>
        <input
          id="endpoint-url"
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://courses.example.com/webhooks/payments"
          required
        />
        <label htmlFor="endpoint-description">설명</label>
        <input
          id="endpoint-description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <EventTypePicker idPrefix="new-endpoint" value={types} onChange={setTypes} />
        <button type="submit" disabled={create.isPending}>
          등록하기
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {secret && <SecretOnce secret={secret} />}
      </form>
      {endpoints.isPending && <p className="muted">엔드포인트를 불러오는 중…</p>}
      {endpoints.isError && (
        <p className="error" role="alert">
          {adminErrorMessage(endpoints.error)}
        </p>
      )}
      {endpoints.data?.length === 0 && <p className="muted">등록된 엔드포인트가 없어요.</p>}
      {endpoints.data?.map((endpoint) => (
        <EndpointCard key={endpoint.id} endpoint={endpoint} />
      ))}
    </section>
  );
}

type Endpoint = {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  createdAt: Date;
  disabledAt: Date | null;
  previousSecretValidUntil: Date | null;
};

function EndpointCard({ endpoint }: { endpoint: Endpoint }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [types, setTypes] = useState(endpoint.eventTypes);
  const [secret, setSecret] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const handlers = (message: string) => ({
    onSuccess: () => {
      setDone(message);
      setError(null);
    },
    onError: (e: unknown) => setError(adminErrorMessage(e)),
    onSettled: () => queryClient.invalidateQueries(),
  });
  const update = useMutation(
    trpc.admin.updateWebhookEndpoint.mutationOptions(handlers('이벤트 종류를 저장했어요.')),
  );
  const disable = useMutation(
    trpc.admin.disableWebhookEndpoint.mutationOptions(handlers('엔드포인트를 중지했어요.')),
  );
  const rotate = useMutation(
    trpc.admin.rotateWebhookSecret.mutationOptions({
      onSuccess: (result) => {
        setSecret(result.secret);
        setDone('서명 키를 바꿨어요. 이전 키도 24시간 동안 함께 서명해요.');
        setError(null);
      },
      onError: (e) => setError(adminErrorMessage(e)),
      onSettled: () => queryClient.invalidateQueries(),
    }),
  );
  const active = !endpoint.disabledAt;

  return (
    <section className="card stack" aria-label={`엔드포인트 ${endpoint.url}`}>
      <div className="row">
        <h3 style={{ margin: 0, fontSize: '1rem' }}>{endpoint.url}</h3>
        <span className="badge">{active ? '사용 중' : '중지됨'}</span>
      </div>
      <p className="muted">
        {endpoint.id} · {dateTime(endpoint.createdAt)} 등록
        {endpoint.description && ` · ${endpoint.description}`}
        {endpoint.previousSecretValidUntil &&
          endpoint.previousSecretValidUntil > new Date() &&
          ` · 이전 서명 키는 ${dateTime(endpoint.previousSecretValidUntil)}까지 함께 서명해요`}
      </p>
      {active ? (
        <>
          <EventTypePicker idPrefix={endpoint.id} value={types} onChange={setTypes} />
          <div className="row">
            <button
              type="button"
              disabled={update.isPending}
              onClick={() => update.mutate({ endpointId: endpoint.id, eventTypes: types as EventType[] })}
            >
              이벤트 종류 저장
            </button>
            <button
              type="button"
              disabled={rotate.isPending}
              onClick={() => rotate.mutate({ endpointId: endpoint.id })}
            >
              서명 키 교체
            </button>
            <button
              type="button"
              disabled={disable.isPending}
              onClick={() => disable.mutate({ endpointId: endpoint.id })}
            >
              중지하기
            </button>
          </div>
        </>
      ) : (
        <p>보내는 이벤트: {endpoint.eventTypes.join(', ')}</p>
      )}
      {done && <p role="status">{done}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {secret && <SecretOnce secret={secret} />}
    </section>
  );
}

function EventLog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [type, setType] = useState<'' | EventType>('');
  const [status, setStatus] = useState<'' | keyof typeof DELIVERY_LABEL>('');
  const [since, setSince] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const events = useQuery({
    ...trpc.admin.events.queryOptions({ type: type || undefined, deliveryStatus: status || undefined }),
    retry: false,
  });
  const redeliverFailed = useMutation(
    trpc.admin.redeliverFailedEvents.mutationOptions({
      onSuccess: (result) => {
        setDone(`실패한 전송 ${result.deliveries}건을 다시 보내요.`);
        setError(null);
      },
      onError: (e) => setError(adminErrorMessage(e)),
      onSettled: () => queryClient.invalidateQueries(),
    }),
  );

  return (
    <section aria-label="이벤트 기록" className="stack">
      <h2>이벤트 기록</h2>
      <form className="card row" aria-label="이벤트 필터" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="event-type" style={{ margin: 0 }}>
          종류
        </label>
        <select id="event-type" value={type} onChange={(e) => setType(e.target.value as typeof type)}>
          <option value="">전체</option>
          {EVENT_TYPES.map((t) => (
            <option key={t} value={t}>
              {EVENT_LABEL[t]} ({t})
            </option>
          ))}
        </select>
        <label htmlFor="event-status" style={{ margin: 0 }}>
          전송 상태
        </label>
        <select id="event-status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="">전체</option>
          {Object.entries(DELIVERY_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </form>
      <form
        className="card row"
        aria-label="실패한 이벤트 다시 보내기"
        onSubmit={(e) => {
          e.preventDefault();
          if (!since) {
            setError('시각을 입력해 주세요.');
            return;
          }
          redeliverFailed.mutate({ since: new Date(since) });
        }}
      >
        <label htmlFor="redeliver-since" style={{ margin: 0 }}>
          이 시각 이후 실패한 이벤트
        </label>
        <input
          id="redeliver-since"
          type="datetime-local"
          value={since}
          onChange={(e) => setSince(e.target.value)}
        />
        <button type="submit" disabled={redeliverFailed.isPending}>
          모두 다시 보내기
        </button>
      </form>
      {done && <p role="status">{done}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {events.isPending && <p className="muted">이벤트를 불러오는 중…</p>}
      {events.isError && (
        <p className="error" role="alert">
          {adminErrorMessage(events.error)}
        </p>
      )}
      {events.data?.items.length === 0 && <p className="muted">조건에 맞는 이벤트가 없어요.</p>}
      {events.data?.items.map((event) => (
        <EventCard key={event.id} event={event} />
      ))}
    </section>
  );
}

type EventRow = {
  id: string;
  type: string;
  payload: unknown;
  orderId: string | null;
  createdAt: Date;
  deliveries: {
    id: string;
    endpointId: string;
    url: string;
    status: keyof typeof DELIVERY_LABEL;
    attempts: number;
    nextAttemptAt: Date;
    lastStatusCode: number | null;
    attemptLog: { attempt: number; statusCode: number | null; error: string | null; attemptedAt: Date }[];
  }[];
};

function EventCard({ event }: { event: EventRow }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const redeliver = useMutation(
    trpc.admin.redeliverEvent.mutationOptions({
      onSuccess: (result) => {
        setDone(
          result.deliveries > 0 ? `${result.deliveries}곳에 다시 보내요.` : '보낼 엔드포인트가 없어요.',
        );
        setError(null);
      },
      onError: (e) => setError(adminErrorMessage(e)),
      onSettled: () => queryClient.invalidateQueries(),
    }),
  );
  const label = EVENT_LABEL[event.type as EventType] ?? event.type;

  return (
    <section className="card stack" aria-label={`이벤트 ${event.id}`}>
      <div className="row">
        <h3 style={{ margin: 0, fontSize: '1rem' }}>
          {label} ({event.type})
        </h3>
        <button
          type="button"
          disabled={redeliver.isPending}
          onClick={() => redeliver.mutate({ eventId: event.id })}
        >
          다시 보내기
        </button>
      </div>
      <p className="muted">
        {event.id} · {dateTime(event.createdAt)}
        {event.orderId && ` · 주문 ${event.orderId}`}
      </p>
      <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify(event.payload)}</pre>
      {event.deliveries.length === 0 && <p className="muted">이 이벤트를 받는 엔드포인트가 없었어요.</p>}
      {event.deliveries.map((delivery) => (
        <div key={delivery.id} className="stack">
          <p>
            {delivery.url} · <span className="badge">{DELIVERY_LABEL[delivery.status]}</span> · 시도{' '}
            {delivery.attempts}번
            {delivery.lastStatusCode !== null && ` · 마지막 응답 ${delivery.lastStatusCode}`}
            {delivery.status === 'PENDING' &&
              delivery.attempts > 0 &&
              ` · 다음 시도 ${dateTime(delivery.nextAttemptAt)}`}
          </p>
          {delivery.attemptLog.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th scope="col">시도</th>
                  <th scope="col">시각</th>
                  <th scope="col">응답 코드</th>
                  <th scope="col">오류</th>
                </tr>
              </thead>
              <tbody>
                {delivery.attemptLog.map((a) => (
                  <tr key={a.attempt + a.attemptedAt.toISOString()}>
                    <td>{a.attempt}</td>
                    <td>{dateTime(a.attemptedAt)}</td>
                    <td>{a.statusCode ?? '응답 없음'}</td>
                    <td>{a.error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
      {done && <p role="status">{done}</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
