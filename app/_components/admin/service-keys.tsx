'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { ServiceScope } from '@/server/building-blocks/service-auth/scopes';
import { adminErrorMessage } from '../../_lib/admin-error';
import { dateTime } from '../../_lib/format';
import { useTRPC } from '../../_lib/trpc';
import { AdminOnly } from './admin-only';

/** What each scope lets a service do, in words (the scope itself is shown too: callers name it so). */
const SCOPE_WORDS = {
  'orders:write': '주문 만들기',
  'orders:read': '주문 보기',
  'refunds:write': '환불하기',
  'wallet:read': '지갑 보기',
  'catalogue:write': '강의 목록 동기화',
  'webhooks:write': '웹훅 엔드포인트 관리',
} as const satisfies Record<ServiceScope, string>;

const SCOPES = Object.keys(SCOPE_WORDS) as ServiceScope[];

type Secret = { keyId: string; secret: string; previousValidUntil: Date | null };

export function ServiceKeys() {
  const [secret, setSecret] = useState<Secret | null>(null);
  return (
    <AdminOnly>
      <p className="muted">
        다른 서비스가 학습자 로그인 없이 이 결제 서비스를 부를 때 쓰는 키예요. 요청마다 비밀 키로 서명해야
        하고, 고른 권한 안에서만 쓸 수 있어요. 서명 방법은 README의 Service API를 봐 주세요.
      </p>
      <CreateKeyForm onSecret={setSecret} />
      {secret && <SecretOnce secret={secret} onDone={() => setSecret(null)} />}
      <KeyTable onSecret={setSecret} />
    </AdminOnly>
  );
}

/** The one time a secret is shown. */
function SecretOnce({ secret, onDone }: { secret: Secret; onDone: () => void }) {
  return (
    <section className="card stack" aria-label="새 비밀 키">
      <h2>비밀 키를 지금 보관해 주세요</h2>
      <p>
        키 ID <code>{secret.keyId}</code>
      </p>
      <p>
        비밀 키 <code data-testid="service-key-secret">{secret.secret}</code>
      </p>
      <p className="error" role="alert">
        이 비밀 키는 다시 보여 드리지 않아요. 지금 복사해서 호출하는 서비스의 설정에 넣어 주세요.
        {secret.previousValidUntil &&
          ` 이전 비밀 키는 ${dateTime(secret.previousValidUntil)}까지 함께 쓸 수 있어요.`}
      </p>
      <div>
        <button type="button" className="secondary" onClick={onDone}>
          보관했어요
        </button>
      </div>
    </section>
  );
}

function CreateKeyForm({ onSecret }: { onSecret: (secret: Secret) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const inFlight = useRef(false);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ServiceScope[]>([]);
  const [error, setError] = useState<string | null>(null);

  const create = useMutation(
    trpc.admin.createServiceKey.mutationOptions({
      onSuccess: (created) => {
        onSecret(created);
        setName('');
        setScopes([]);
      },
      onError: (e) => setError(adminErrorMessage(e)),
      onSettled: async () => {
        inFlight.current = false;
        await queryClient.invalidateQueries();
      },
    }),
  );

  return (
    <form
      className="card stack"
      aria-label="새 서비스 키 발급"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (inFlight.current) return;
        if (!name.trim()) return setError('키 이름을 입력해 주세요.');
        if (scopes.length === 0) return setError('권한을 하나 이상 골라 주세요.');
        inFlight.current = true;
        setError(null);
        create.mutate({ name, scopes });
      }}
    >
      <h2>새 서비스 키 발급</h2>
      <label htmlFor="service-key-name">키 이름</label>
      <input
        id="service-key-name"
        value={name}
        maxLength={100}
        placeholder="예: 강의 서비스"
        onChange={(e) => {
          setName(e.target.value);
          setError(null);
        }}
      />
      <fieldset>
        <legend>권한</legend>
        {SCOPES.map((scope) => (
          <label key={scope}>
            <input
              type="checkbox"
              checked={scopes.includes(scope)}
              onChange={(e) => {
                setScopes((s) => (e.target.checked ? [...s, scope] : s.filter((x) => x !== scope)));
                setError(null);
              }}
            />
            {SCOPE_WORDS[scope]} (<code>{scope}</code>)
          </label>
        ))}
      </fieldset>
      <div>
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? '발급하는 중…' : '키 발급'}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function KeyTable({ onSecret }: { onSecret: (secret: Secret) => void }) {
  const trpc = useTRPC();
  const keys = useQuery({ ...trpc.admin.serviceKeys.queryOptions(), retry: false });
  if (keys.isPending) return <p className="muted">서비스 키를 불러오는 중…</p>;
  if (keys.isError) {
    return (
      <p className="error" role="alert">
        {adminErrorMessage(keys.error)}
      </p>
    );
  }
  return (
    <>
      <h2>서비스 키 목록</h2>
      {keys.data.length === 0 && <p className="muted">아직 발급한 서비스 키가 없어요.</p>}
      {keys.data.map((key) => (
        <section key={key.keyId} className="card stack" aria-label={`${key.name} 키`}>
          <div className="row">
            <h3 style={{ margin: 0 }}>{key.name}</h3>
            <code>{key.keyId}</code>
            <span className={key.revokedAt ? 'badge bad' : 'badge'}>
              {key.revokedAt ? '폐기됨' : '사용 중'}
            </span>
          </div>
          <p className="muted">
            권한: {key.scopes.map((scope) => SCOPE_WORDS[scope]).join(', ')} · 발급 {dateTime(key.createdAt)}{' '}
            · {key.lastUsedAt ? `마지막 사용 ${dateTime(key.lastUsedAt)}` : '아직 쓰이지 않았어요'}
            {key.revokedAt && ` · 폐기 ${dateTime(key.revokedAt)}`}
            {key.previousValidUntil &&
              ` · 이전 비밀 키는 ${dateTime(key.previousValidUntil)}까지 쓸 수 있어요`}
          </p>
          {!key.revokedAt && <KeyActions keyId={key.keyId} name={key.name} onSecret={onSecret} />}
        </section>
      ))}
    </>
  );
}

function KeyActions({
  keyId,
  name,
  onSecret,
}: {
  keyId: string;
  name: string;
  onSecret: (secret: Secret) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [overlap, setOverlap] = useState('24');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const onSettled = () => queryClient.invalidateQueries();

  const rotate = useMutation(
    trpc.admin.rotateServiceKey.mutationOptions({
      onSuccess: (rotated) => onSecret(rotated),
      onError: (e) => setError(adminErrorMessage(e)),
      onSettled,
    }),
  );
  const revoke = useMutation(
    trpc.admin.revokeServiceKey.mutationOptions({
      onSuccess: () => setDone(`"${name}" 키를 폐기했어요. 이 키로 서명한 요청은 지금부터 거절돼요.`),
      onError: (e) => setError(adminErrorMessage(e)),
      onSettled,
    }),
  );

  return (
    <div className="stack">
      <form
        className="row"
        aria-label={`${name} 비밀 키 교체`}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setError(null);
          setDone(null);
          rotate.mutate({ keyId, overlapHours: Number(overlap) });
        }}
      >
        <label htmlFor={`overlap-${keyId}`}>이전 비밀 키를 함께 쓸 시간</label>
        <select id={`overlap-${keyId}`} value={overlap} onChange={(e) => setOverlap(e.target.value)}>
          <option value="0">바로 끊기</option>
          <option value="1">1시간</option>
          <option value="24">24시간</option>
          <option value="72">72시간</option>
        </select>
        <button type="submit" className="secondary" disabled={rotate.isPending}>
          비밀 키 교체
        </button>
      </form>
      <form
        className="row"
        aria-label={`${name} 키 폐기`}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setDone(null);
          if (!reason.trim()) return setError('폐기 사유를 입력해 주세요.');
          setError(null);
          revoke.mutate({ keyId, reason });
        }}
      >
        <label htmlFor={`revoke-${keyId}`}>폐기 사유</label>
        <input
          id={`revoke-${keyId}`}
          value={reason}
          maxLength={500}
          onChange={(e) => {
            setReason(e.target.value);
            setError(null);
          }}
        />
        <button type="submit" className="secondary" disabled={revoke.isPending}>
          키 폐기
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
    </div>
  );
}
