import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { createPaymentClient } from '../server/entry-points/trpc/client';
import { chargeInBrowser, signInInBrowser, signUpInBrowser } from './helpers';

/**
 * Every page, signed out, signed in and as an admin: axe-core finds no WCAG 2.1 A/AA violation and
 * none of its best practices broken (heading levels in order, every part of the page in a landmark), at a
 * desktop width and at 375 px, and at 375 px no page scrolls sideways. Each page is checked once its
 * content has loaded (no "불러오는 중…" left), since a loading placeholder hides what matters.
 */

const ADMIN = { email: 'admin@example.com', password: 'admin-pass-1234' };
const BALANCE_COURSE = 'TypeScript로 만드는 tRPC API'; // 25,000원
const CARD_COURSE = 'Playwright로 하는 E2E 테스트'; // 48,000원
const PHONE = { width: 375, height: 812 };

async function settled(page: Page) {
  await expect(page.locator('h1').first()).toBeVisible();
  await expect(page.getByText(/불러오는 중|찾는 중/)).toHaveCount(0);
}

async function violations(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations.map((v) => ({
    rule: v.id,
    help: v.help,
    where: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
  }));
}

/** The page at `path`, at desktop width then at 375 px: no axe violation, no sideways scroll on a phone. */
async function checkPage(page: Page, path: string) {
  await test.step(path, async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(path);
    await settled(page);
    expect(await violations(page), `axe at 1280 px on ${path}`).toEqual([]);

    await page.setViewportSize(PHONE);
    await page.reload();
    await settled(page);
    expect(await violations(page), `axe at 375 px on ${path}`).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `sideways scroll at 375 px on ${path}`).toBeLessThanOrEqual(0);
    const wordBreak = await page.evaluate(() => getComputedStyle(document.body).wordBreak);
    expect(wordBreak, `word-break on ${path}`).toBe('keep-all');
  });
}

// Each test opens many pages at two widths and runs axe on each: minutes on a busy 2-core machine.
test.describe.configure({ timeout: 240_000 });

test('every page a signed-out visitor can open', async ({ page }) => {
  for (const path of [
    '/',
    '/sign-in',
    '/sign-up',
    '/wallet',
    '/orders',
    '/fail?code=PAY_PROCESS_CANCELED&message=%EC%82%AC%EC%9A%A9%EC%9E%90%EC%97%90+%EC%9D%98%ED%95%B4+%EA%B2%B0%EC%A0%9C%EA%B0%80+%EC%B7%A8%EC%86%8C%EB%90%98%EC%97%88%EC%8A%B5%EB%8B%88%EB%8B%A4.&orderId=no-such-order-1',
    '/no-such-page',
  ]) {
    await checkPage(page, path);
  }
});

test('every page a learner uses, with a balance purchase, a card purchase and the widget open', async ({
  page,
}) => {
  await signUpInBrowser(page);
  await chargeInBrowser(page, 30_000);
  await expect(page.getByLabel('현재 잔액')).toHaveText('30,000원');

  // A balance purchase: the confirmation step open, then done.
  await page.goto('/');
  const course = page.getByRole('listitem', { name: BALANCE_COURSE });
  await course.getByRole('button', { name: `${BALANCE_COURSE} 잔액으로 결제` }).click();
  expect(await violations(page), 'axe with the balance confirmation open').toEqual([]);
  await course
    .getByRole('region', { name: `${BALANCE_COURSE} 잔액 결제 확인` })
    .getByRole('button', { name: /원 결제하기$/ })
    .click();
  await expect(course.getByText('수강 중')).toBeVisible();

  // A card purchase: the checkout page, the widget's dialog, the success page.
  await page.getByRole('button', { name: `${CARD_COURSE} 카드로 결제` }).click();
  await expect(page).toHaveURL(/\/checkout\//);
  const checkout = new URL(page.url()).pathname;
  await settled(page);
  expect(await violations(page), 'axe on the checkout page').toEqual([]);
  await page.getByLabel('[필수] 결제 서비스 이용 약관, 개인정보 처리 동의').check();
  await page.getByRole('button', { name: /결제하기$/ }).click();
  const dialog = page.getByRole('dialog', { name: '토스페이먼츠 결제 승인' });
  await expect(dialog).toBeVisible();
  expect(await violations(page), 'axe with the widget dialog open').toEqual([]);
  await dialog.getByRole('button', { name: '결제 승인' }).click();
  await expect(page.getByRole('region', { name: '결제 결과' })).toContainText('결제가 완료되었습니다');
  const success = page.url().replace(/^https?:\/\/[^/]+/, '');
  await page.getByRole('link', { name: '주문 상세 보기' }).click();
  await expect(page).toHaveURL(/\/orders\/[A-Za-z0-9_-]+$/);
  const order = new URL(page.url()).pathname;

  // A refused checkout link (not a signed one): the page that says so.
  for (const path of ['/', '/wallet', '/orders', order, success, checkout, '/checkout?intent=not-a-link']) {
    await checkPage(page, path);
  }
});

test('every operator page', async ({ page, baseURL }) => {
  // A learner with a balance purchase (over the typed client), so the payment pages have one to show.
  if (!baseURL) throw new Error('baseURL is not set');
  const email = `a11y-${randomUUID()}@example.com`;
  const { token } = await createPaymentClient({ baseUrl: baseURL }).auth.signUp.mutate({
    email,
    password: 'password-1234',
    name: '접근성 학습자',
  });
  const client = createPaymentClient({ baseUrl: baseURL, token });
  await client.wallet.charge.mutate({ amount: 30_000, requestId: randomUUID() });
  const courses = await client.course.list.query();
  const course = courses.find((c) => c.title === BALANCE_COURSE);
  if (!course) throw new Error(`${BALANCE_COURSE} is not in the catalogue`);
  const { orderId } = await client.wallet.pay.mutate({ courseId: course.id, requestId: randomUUID() });

  await signInInBrowser(page, ADMIN);
  for (const path of [
    '/admin',
    '/admin/payments',
    `/admin/payments?q=${encodeURIComponent(email)}`,
    `/admin/payments/${orderId}`,
    '/admin/alerts',
    '/admin/wallet',
    '/admin/courses',
    '/admin/service-keys',
    '/admin/webhooks',
    '/admin/audit',
  ]) {
    await checkPage(page, path);
  }
});
