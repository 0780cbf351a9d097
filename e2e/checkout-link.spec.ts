import { randomUUID } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { checkoutLink, createPaymentClient } from '../server/entry-points/trpc/client';
import { signUpInBrowser } from './helpers';

/** A service's signed checkout link (/checkout?intent=…) opened by the learner it names, in Chromium. */

const ADMIN = { email: 'admin@example.com', password: 'admin-pass-1234' };
const CARD_COURSE = 'Playwright로 하는 E2E 테스트'; // 48,000원

/** A service key with orders:write, issued by the demo admin over the typed client. */
async function serviceKey(baseURL: string) {
  const { token } = await createPaymentClient({ baseUrl: baseURL }).auth.signIn.mutate(ADMIN);
  const admin = createPaymentClient({ baseUrl: baseURL, token });
  const { keyId, secret } = await admin.admin.createServiceKey.mutate({
    name: `E2E 결제 링크 ${randomUUID().slice(0, 8)}`,
    scopes: ['orders:write'],
  });
  return { keyId, secret };
}

async function payInWidget(page: Page) {
  await page.getByLabel('[필수] 결제 서비스 이용 약관, 개인정보 처리 동의').check();
  await page.getByRole('button', { name: /결제하기$/ }).click();
  await page
    .getByRole('dialog', { name: '토스페이먼츠 결제 승인' })
    .getByRole('button', { name: '결제 승인' })
    .click();
}

test('a learner opens a signed course link, signs in, pays the signed amount, and the link then shows the order', async ({
  page,
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL is not set');
  const key = await serviceKey(baseURL);
  const account = {
    email: `link-${randomUUID()}@example.com`,
    password: 'password-1234',
    name: '링크 학습자',
  };
  await createPaymentClient({ baseUrl: baseURL }).auth.signUp.mutate(account);
  const course = (await createPaymentClient({ baseUrl: baseURL }).course.list.query()).find(
    (c) => c.title === CARD_COURSE,
  );
  if (!course) throw new Error(`${CARD_COURSE} is not in the catalogue`);
  const link = checkoutLink(baseURL, key, {
    reference: `lms-order-${randomUUID()}`,
    userEmail: account.email,
    type: 'COURSE',
    courseId: course.id,
    amount: 48_000,
  });

  // Signed out: sign in first, then straight back to the link and on to its order's checkout.
  await page.goto(link);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel('이메일').fill(account.email);
  await page.getByLabel('비밀번호').fill(account.password);
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page).toHaveURL(/\/checkout\/[A-Za-z0-9_-]+$/);
  const orderId = new URL(page.url()).pathname.split('/').pop();
  const checkout = page.getByRole('region', { name: '주문 결제' });
  await expect(checkout.getByRole('heading', { name: CARD_COURSE })).toBeVisible();
  await expect(checkout.getByText('결제 금액 48,000원').first()).toBeVisible();
  await payInWidget(page);
  await expect(page).toHaveURL(/\/success\?/);
  await expect(page.getByRole('region', { name: '결제 결과' })).toContainText('결제가 완료되었습니다');

  // The same link again: the same order, now paid, so its order page.
  await page.goto(link);
  await expect(page).toHaveURL(new RegExp(`/orders/${orderId}$`));
});

test('a signed charge link shows its amount and name; a tampered or expired link says so and opens nothing', async ({
  page,
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL is not set');
  const key = await serviceKey(baseURL);
  const learner = await signUpInBrowser(page);
  const fields = {
    reference: `lms-charge-${randomUUID()}`,
    userEmail: learner.email,
    type: 'CHARGE',
    amount: 20_000,
    orderName: '학습 포인트 20,000',
  } as const;
  const link = checkoutLink(baseURL, key, fields);

  // The amount changed after signing: refused.
  const [payloadText, signature] = (new URL(link).searchParams.get('intent') ?? '').split('.');
  const payload = JSON.parse(Buffer.from(payloadText ?? '', 'base64url').toString('utf8'));
  const cheaper = Buffer.from(JSON.stringify({ ...payload, amount: 1_000 })).toString('base64url');
  await page.goto(`/checkout?intent=${cheaper}.${signature}`);
  const refused = page.getByRole('region', { name: '결제 링크를 열 수 없어요' });
  await expect(refused.getByRole('alert')).toContainText('결제 링크가 올바르지 않아요');

  const expired = checkoutLink(baseURL, key, { ...fields, exp: Math.floor(Date.now() / 1000) - 60 });
  await page.goto(expired);
  await expect(refused.getByRole('alert')).toContainText('결제 링크가 만료됐어요');

  // Neither made an order (the learner's own order list, with the page's cookie).
  const orders = await (await page.request.get('/api/trpc/order.list')).json();
  expect(orders.result.data.json).toEqual([]);

  // The link as signed: its amount and name.
  await page.goto(link);
  await expect(page).toHaveURL(/\/checkout\/[A-Za-z0-9_-]+$/);
  const checkout = page.getByRole('region', { name: '주문 결제' });
  await expect(checkout.getByRole('heading', { name: '학습 포인트 20,000' })).toBeVisible();
  await expect(checkout.getByText('결제 금액 20,000원').first()).toBeVisible();
});
