import {
  createSession,
  createUser,
  deleteSession,
  findUserByEmail,
} from '../../building-blocks/auth/auth.repository';
import { hashPassword } from '../../building-blocks/auth/password';
import { addCourseIfMissing } from '../../building-blocks/course/course.repository';
import type { Db } from '../../building-blocks/db/client';
import { setAdmin } from '../../use-cases/auth/admin-role';
import { chargeWallet } from '../../use-cases/wallet/charge-wallet';

/** Demo data for `npm start`. Safe to run on every start: it only adds what is missing. */

export const DEMO_LEARNER = {
  email: 'learner@example.com',
  password: 'learner-pass-1234',
  name: '데모 학습자',
};

/** The demo's operator: its password is published too, so it exists only where demo data is seeded. */
export const DEMO_ADMIN = {
  email: 'admin@example.com',
  password: 'admin-pass-1234',
  name: '데모 관리자',
};

export const DEMO_COURSES = [
  {
    id: '00000000-0000-4000-8000-000000000001',
    title: 'TypeScript로 만드는 tRPC API',
    description: '타입이 서버에서 브라우저까지 이어지는 API를 처음부터 만들어 봅니다.',
    price: 25_000,
  },
  {
    id: '00000000-0000-4000-8000-000000000002',
    title: '결제 시스템 테스트 입문',
    description: '잔액 충전과 결제를 예로, 돈이 걸린 코드를 테스트하는 법을 배웁니다.',
    price: 39_000,
  },
  {
    id: '00000000-0000-4000-8000-000000000003',
    title: 'Playwright로 하는 E2E 테스트',
    description: '진짜 브라우저로 결제 흐름 전체를 검증합니다.',
    price: 48_000,
  },
  {
    id: '00000000-0000-4000-8000-000000000004',
    title: '동시성 제어 실전',
    description: '비관적 락, 낙관적 락, 분산 락, 그리고 원자적 조건부 UPDATE를 비교합니다.',
    price: 55_000,
  },
  {
    id: '00000000-0000-4000-8000-000000000005',
    title: 'PostgreSQL 트랜잭션 깊이 보기',
    description: '격리 수준, 행 잠금, 제약 조건으로 데이터 무결성을 지킵니다.',
    price: 72_000,
  },
  {
    id: '00000000-0000-4000-8000-000000000006',
    title: '대규모 결제 아키텍처 마스터클래스',
    description: 'PG 연동, 장애 복구, 대사와 정산까지. 잔액 한도를 넘는 강의라 카드로 결제합니다.',
    price: 180_000,
  },
] as const;

export async function seed(db: Db): Promise<void> {
  for (const course of DEMO_COURSES) {
    await addCourseIfMissing(db, course);
  }
  const learner = await ensureAccount(db, DEMO_LEARNER);
  // A starting balance, through the real charge path (a learner's, so under a session of theirs, opened
  // for the moment); the fixed requestId makes it happen once.
  const session = await createSession(db, learner.id, new Date(Date.now() + 60_000));
  try {
    await chargeWallet(
      db,
      { userId: learner.id, sessionId: session.id },
      { amount: 50_000, requestId: 'sys:seed-starting-balance' },
    );
  } finally {
    await deleteSession(db, session.id);
  }
  const admin = await ensureAccount(db, DEMO_ADMIN);
  if (admin.role !== 'ADMIN') {
    await setAdmin(db, { email: DEMO_ADMIN.email, admin: true, reason: 'demo seed', changedBy: 'db:seed' });
  }
}

async function ensureAccount(db: Db, account: { email: string; name: string; password: string }) {
  const found = await findUserByEmail(db, account.email);
  if (found) return found;
  const passwordHash = await hashPassword(account.password);
  const created = await createUser(db, { email: account.email, name: account.name, passwordHash });
  // Null when a concurrent start created it first: then it is there to read.
  const user = created ?? (await findUserByEmail(db, account.email));
  if (!user) throw new Error(`the demo account ${account.email} could not be created`);
  return user;
}
