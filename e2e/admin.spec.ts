import { randomUUID } from 'node:crypto';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { kstDay } from '../app/_lib/report-days';
import { createPaymentClient, createServiceClient, errorReason } from '../server/entry-points/trpc/client';
import { signInInBrowser, signUpInBrowser } from './helpers';

const ADMIN = { email: 'admin@example.com', password: 'admin-pass-1234' };

/** A learner made over the typed client (the API other services use), with a balance charged in sandbox mode. */
async function apiLearner(baseURL: string | undefined, balance: number) {
  if (!baseURL) throw new Error('baseURL is not set');
  const account = { email: `op-${randomUUID()}@example.com`, password: 'password-1234', name: '조정 학습자' };
  const { token } = await createPaymentClient({ baseUrl: baseURL }).auth.signUp.mutate(account);
  const client = createPaymentClient({ baseUrl: baseURL, token });
  if (balance > 0) await client.wallet.charge.mutate({ amount: balance, requestId: randomUUID() });
  return { account, client };
}

/** A second person at another browser: their own cookies. */
async function otherPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

test('an admin sees reconciliation, the books check and settlement (sales apart from the wallets), and exports CSV', async ({
  page,
  baseURL,
}) => {
  // Today a learner tops up in sandbox mode and buys a course with the balance: a sale by balance, once.
  const learner = await apiLearner(baseURL, 50_000);
  const course = (await learner.client.course.list.query()).find(
    (c) => c.price <= 50_000 && !c.title.startsWith('E2E'),
  );
  if (!course) throw new Error('the seed has no course under 50,000');
  await learner.client.wallet.pay.mutate({ courseId: course.id, requestId: randomUUID() });

  // The demo admin that server/entry-points/cli/demo-data.ts creates and grants (the e2e server seeds demo data).
  await signInInBrowser(page, ADMIN);
  await page.getByRole('link', { name: '관리자' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { level: 2, name: '대사 (토스 거래내역과 비교)' })).toBeVisible();
  await expect(page.getByText('모든 규칙을 지켜요.')).toBeVisible();

  // The presets fill the date fields with Korean days.
  const from = page.getByLabel('시작일');
  const to = page.getByLabel('종료일');
  await expect(from).toHaveValue(kstDay(-6));
  await expect(to).toHaveValue(kstDay(0));
  await expect(page.getByRole('button', { name: '지난 7일' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: '어제' }).click();
  await expect(from).toHaveValue(kstDay(-1));
  await expect(to).toHaveValue(kstDay(-1));
  await page.getByRole('button', { name: '오늘' }).click();
  await expect(from).toHaveValue(kstDay(0));
  await expect(to).toHaveValue(kstDay(0));
  await expect(page.getByRole('button', { name: '오늘' })).toHaveAttribute('aria-pressed', 'true');

  // Course sales: the course bought with the balance, as 잔액; the chart has axes and the day's total.
  await expect(page.getByRole('heading', { level: 2, name: '정산' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: '강의 매출' })).toBeVisible();
  await expect(page.getByRole('img', { name: /^일별 순매출 차트: .* 1일, 합계 / })).toBeVisible();
  const sales = page.getByRole('table', { name: '강의 매출 (날짜·강의·결제 수단별)' });
  const sold = sales.getByRole('row').filter({ hasText: course.title }).filter({ hasText: '잔액' });
  await expect(sold).toHaveCount(1);
  await expect(sold).toContainText(kstDay(0));
  await expect(sales.getByRole('row', { name: /^전체 합계/ })).toBeVisible();

  // The wallets (선수금): the top-up is here, not in sales; start + movements = end.
  await expect(page.getByRole('heading', { level: 3, name: '지갑 (선수금)' })).toBeVisible();
  const liability = async (term: string) =>
    Number(
      ((await page.locator('dt', { hasText: term }).locator('+ dd').textContent()) ?? '')
        .replace(/[^\d−-]/g, '')
        .replace('−', '-'),
    );
  const [start, change, end] = [
    await liability('기간 시작 선수금'),
    await liability('기간 중 증감'),
    await liability('기간 끝 선수금'),
  ];
  expect(end).toBeGreaterThanOrEqual(50_000 - course.price);
  expect(start + change).toBe(end);
  const movements = page.getByRole('table', { name: '선수금 증감 (종류별)' });
  await expect(movements.getByRole('row', { name: /^테스트 충전/ })).toBeVisible();
  await expect(movements.getByRole('row', { name: /^강의 결제 \(잔액 사용\)/ })).toBeVisible();
  await expect(page.getByRole('table', { name: /^토스에서 받을 카드 대금/ })).toContainText('받을 금액');

  // A backwards range is refused in Korean before anything is asked.
  await from.fill(kstDay(0));
  await to.fill(kstDay(-1));
  await page.getByRole('button', { name: '조회' }).click();
  await expect(page.getByRole('form', { name: '조회 기간' }).getByRole('alert')).toHaveText(
    '시작일은 종료일보다 늦을 수 없어요.',
  );
  await expect(from).toHaveAttribute('aria-describedby', 'range-error');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '정산 CSV 내보내기' }).click();
  expect((await download).suggestedFilename()).toMatch(/^settlement-.*\.csv$/);

  // On a 375 px phone the page itself never scrolls sideways (the tables do, inside their boxes).
  await page.setViewportSize({ width: 375, height: 800 });
  await page.getByRole('button', { name: '지난 7일' }).click();
  await expect(sales).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});

test('a learner is not let into the admin page', async ({ page }) => {
  await signUpInBrowser(page);
  await page.goto('/admin');
  await expect(page.getByRole('main').getByRole('alert')).toContainText('관리자만 볼 수 있는 페이지입니다.');
  await expect(page.getByRole('link', { name: '관리자' })).toHaveCount(0);
});

test('an admin credits a learner’s wallet with a reason; the learner sees 관리자 조정; a debit past 0 is refused', async ({
  page,
  browser,
  baseURL,
}) => {
  const learner = await apiLearner(baseURL, 10_000);
  await signInInBrowser(page, ADMIN);
  await page.goto('/admin/wallet');
  await expect(page).toHaveTitle('관리자: 지갑 조정 · 강의 결제');
  const form = page.getByRole('form', { name: '지갑 조정' });

  // The reason is mandatory: refused before anything is sent.
  await form.getByLabel('학습자 이메일').fill(learner.account.email);
  await form.getByLabel('금액 (원)').fill('5000');
  await form.getByRole('button', { name: '잔액 조정하기' }).click();
  await expect(form.getByRole('alert')).toHaveText('조정 사유를 입력해 주세요. 감사 기록에 남아요.');
  await expect(form.getByLabel('사유 (필수)')).toHaveAttribute('aria-describedby', 'adjust-error');

  await form.getByLabel('사유 (필수)').fill('결제 오류 보상');
  await form.getByRole('button', { name: '잔액 조정하기' }).click();
  await expect(form.getByRole('status')).toContainText('5,000원 지급. 잔액 10,000원 → 15,000원');

  // More than the learner holds cannot be taken: refused in words, nothing changes.
  await form.getByLabel('차감 (잔액 줄이기)').check();
  await form.getByLabel('금액 (원)').fill('20000');
  await form.getByLabel('사유 (필수)').fill('회수');
  await form.getByRole('button', { name: '잔액 조정하기' }).click();
  await expect(form.getByRole('alert')).toHaveText(
    '학습자의 잔액보다 많이 차감할 수 없어요. 지금 잔액을 확인해 주세요.',
  );
  expect((await learner.client.wallet.get.query()).balance).toBe(15_000);

  // The audit log names who, whose wallet, before and after, and why.
  await page.goto('/admin/audit');
  await page.getByLabel('대상 (ID 또는 학습자 이메일)').fill(learner.account.email);
  await page.getByRole('button', { name: '조회' }).click();
  const log = page.getByRole('table', { name: '감사 기록' });
  await expect(log.getByRole('row')).toHaveCount(2);
  await expect(log).toContainText('admin@example.com');
  await expect(log).toContainText('지갑 조정');
  await expect(log).toContainText('결제 오류 보상');
  await expect(log).toContainText('전: {"balance":10000} · 후: {"balance":15000}');

  const learnerPage = await otherPage(browser);
  await signInInBrowser(learnerPage, learner.account);
  const history = learnerPage.getByRole('table', { name: '거래 내역' });
  await expect(history.getByRole('row').nth(1)).toContainText('관리자 조정');
  await expect(history.getByRole('row').nth(1)).toContainText('+5,000원');
  await expect(history).not.toContainText('결제 오류 보상');
  await learnerPage.context().close();
});

test('an admin creates a course the catalogue sells, then retires it and the catalogue hides it', async ({
  page,
  browser,
}) => {
  const title = `E2E 운영 강의 ${randomUUID().slice(0, 8)}`;
  await signInInBrowser(page, ADMIN);
  await page.goto('/admin/courses');
  await expect(page).toHaveTitle('관리자: 강의 관리 · 강의 결제');
  const create = page.getByRole('form', { name: '새 강의 등록' });
  await create.getByLabel('강의 제목').fill(title);
  await create.getByLabel('강의 설명').fill('운영 도구로 등록한 강의');
  await create.getByLabel('가격 (원)').fill('50');
  await create.getByRole('button', { name: '강의 등록' }).click();
  await expect(create.getByRole('alert')).toHaveText(
    '가격은 100원에서 10,000,000원 사이의 정수로 입력해 주세요.',
  );
  await create.getByLabel('가격 (원)').fill('12000');
  await create.getByRole('button', { name: '강의 등록' }).click();
  await expect(create.getByRole('status')).toHaveText(
    `"${title}" 강의를 12,000원에 등록했어요. 지금부터 판매돼요.`,
  );

  const learnerPage = await otherPage(browser);
  await signUpInBrowser(learnerPage);
  await learnerPage.goto('/');
  const card = learnerPage.getByRole('listitem', { name: title });
  await expect(card).toContainText('12,000원');
  await expect(card.getByRole('button', { name: `${title} 카드로 결제` })).toBeVisible();

  const row = page.getByRole('region', { name: title });
  await row.getByRole('button', { name: `${title} 수정 또는 판매 종료` }).click();
  const retire = row.getByRole('form', { name: `${title} 판매 종료` });
  await retire.getByRole('button', { name: '판매 종료' }).click();
  await expect(row.getByRole('alert')).toHaveText('판매 종료 사유를 입력해 주세요.');
  await retire.getByLabel('판매 종료 사유').fill('강의 내용 개편');
  await retire.getByRole('button', { name: '판매 종료' }).click();
  await expect(row.getByText('판매 종료', { exact: true })).toBeVisible();

  await learnerPage.reload();
  await expect(learnerPage.getByRole('heading', { name: '강의 목록' })).toBeVisible();
  await expect(learnerPage.getByRole('listitem').first()).toBeVisible();
  await expect(learnerPage.getByRole('listitem', { name: title })).toHaveCount(0);
  await learnerPage.context().close();

  await page.goto('/admin/audit');
  await page.getByLabel('작업').selectOption('COURSE_RETIRE');
  await page.getByRole('button', { name: '조회' }).click();
  await expect(page.getByRole('table', { name: '감사 기록' })).toContainText('강의 내용 개편');
});

test('an admin resolves an alert with a note, and the list says who and when', async ({ page, baseURL }) => {
  // A refund the wallet cannot hold (it is full) is owed by bank transfer: an alert for an operator.
  const learner = await apiLearner(baseURL, 100_000);
  const course = (await learner.client.course.list.query()).find(
    (c) => c.price <= 30_000 && !c.title.startsWith('E2E'),
  );
  if (!course) throw new Error('the seed has no course under 30,000');
  const paid = await learner.client.wallet.pay.mutate({ courseId: course.id, requestId: randomUUID() });
  await learner.client.wallet.charge.mutate({ amount: course.price, requestId: randomUUID() });
  await learner.client.payment.cancel.mutate({ orderId: paid.orderId, reason: '단순 변심' });

  await signInInBrowser(page, ADMIN);
  await page.goto('/admin/alerts');
  await expect(page).toHaveTitle('관리자: 확인 필요 알림 · 강의 결제');
  await page.getByLabel('종류').selectOption('BANK_TRANSFER_REFUND');
  const alert = page.getByRole('region', { name: `계좌 이체 환불 필요 · 주문 ${paid.orderId}` });
  await expect(alert).toContainText('미확인');
  await alert.getByRole('button', { name: '해결 처리' }).click();
  await expect(alert.getByRole('alert')).toHaveText('해결 메모를 입력해 주세요. 무엇을 했는지 남겨 주세요.');
  await alert.getByLabel('처리 메모 (해결할 때는 필수)').fill('환불금 계좌 이체 완료');
  await alert.getByRole('button', { name: '해결 처리' }).click();
  await expect(alert).toHaveCount(0); // no longer open

  await page.getByLabel('상태').selectOption('RESOLVED');
  await expect(alert).toContainText('해결됨');
  await expect(alert).toContainText('해결: admin@example.com');
  await expect(alert).toContainText('메모: 환불금 계좌 이체 완료');
});

test('an admin issues a service key whose secret is shown once and signs requests, then rotates and revokes it', async ({
  page,
  baseURL,
}) => {
  const name = `E2E 강의 서비스 ${randomUUID().slice(0, 8)}`;
  const learner = await apiLearner(baseURL, 0);
  await signInInBrowser(page, ADMIN);
  await page.goto('/admin/service-keys');
  await expect(page).toHaveTitle('관리자: 서비스 키 · 강의 결제');
  const create = page.getByRole('form', { name: '새 서비스 키 발급' });
  await create.getByLabel('키 이름').fill(name);
  await create.getByRole('button', { name: '키 발급' }).click();
  await expect(create.getByRole('alert')).toHaveText('권한을 하나 이상 골라 주세요.');
  await create.getByLabel('지갑 보기 (wallet:read)').check();
  await create.getByRole('button', { name: '키 발급' }).click();

  const shown = page.getByRole('region', { name: '새 비밀 키' });
  await expect(shown.getByRole('alert')).toContainText('이 비밀 키는 다시 보여 드리지 않아요.');
  const secret = (await shown.getByTestId('service-key-secret').textContent()) ?? '';
  const row = page.getByRole('region', { name: `${name} 키` });
  const keyId = (await row.locator('code').first().textContent()) ?? '';
  expect(keyId).toMatch(/^pk_/);

  // The secret shown signs requests to the service API.
  const service = createServiceClient({ url: baseURL ?? '', keyId, secret });
  expect(await service.service.wallet.get.query({ userEmail: learner.account.email })).toMatchObject({
    balance: 0,
  });
  await shown.getByRole('button', { name: '보관했어요' }).click();
  await expect(page.getByTestId('service-key-secret')).toHaveCount(0);

  await row.getByRole('button', { name: '비밀 키 교체' }).click();
  await expect(page.getByRole('region', { name: '새 비밀 키' })).toContainText('이전 비밀 키는');
  await page.getByRole('button', { name: '보관했어요' }).click();

  await row.getByRole('button', { name: '키 폐기' }).click();
  await expect(row.getByRole('alert')).toHaveText('폐기 사유를 입력해 주세요.');
  await row.getByLabel('폐기 사유').fill('E2E 점검 끝');
  await row.getByRole('button', { name: '키 폐기' }).click();
  await expect(row.getByText('폐기됨', { exact: true })).toBeVisible();
  expect(
    await service.service.wallet.get.query({ userEmail: learner.account.email }).catch(errorReason),
  ).toBe('SERVICE_KEY_REVOKED');

  await page.goto('/admin/audit');
  await page.getByLabel('대상 (ID 또는 학습자 이메일)').fill(keyId);
  await page.getByRole('button', { name: '조회' }).click();
  const log = page.getByRole('table', { name: '감사 기록' });
  await expect(log.getByRole('row')).toHaveCount(4);
  for (const action of [
    '서비스 키 발급',
    '서비스 키 교체',
    '서비스 키 폐기',
    'E2E 점검 끝',
    `서비스 키 ${keyId}`,
  ]) {
    await expect(log).toContainText(action);
  }
  await expect(log).not.toContainText(secret);
});
