import { randomUUID } from 'node:crypto';
import { expect, type Page } from '@playwright/test';

export function newLearner() {
  return { name: '테스트 학습자', email: `e2e-${randomUUID()}@example.com`, password: 'password-1234' };
}

/** Signs up through the real form; ends on the wallet page. */
export async function signUpInBrowser(page: Page, learner = newLearner()) {
  await page.goto('/sign-up');
  await page.getByLabel('이름').fill(learner.name);
  await page.getByLabel('이메일').fill(learner.email);
  await page.getByLabel('비밀번호').fill(learner.password);
  await page.getByRole('button', { name: '회원가입' }).click();
  await expect(page).toHaveURL(/\/wallet$/);
  await expect(
    page.getByRole('navigation', { name: '주 메뉴' }).getByText(`${learner.name}님`),
  ).toBeVisible();
  return learner;
}

/** Fills in and sends the test charge; the caller waits for what it expects (the new balance, or a refusal). */
export async function chargeInBrowser(page: Page, amount: number) {
  await page.getByLabel('충전 금액 (원)').fill(String(amount));
  await page.getByRole('button', { name: '충전하기' }).click();
}

/** Signs in through the real form (e.g. as the seeded demo admin, granted by the seed, not claimed). */
export async function signInInBrowser(page: Page, account: { email: string; password: string }) {
  await page.goto('/sign-in');
  await page.getByLabel('이메일').fill(account.email);
  await page.getByLabel('비밀번호').fill(account.password);
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page).toHaveURL(/\/wallet$/);
}

/** Makes the sandbox answer every request about `orderId` with a 500 until the faults are cleared. */
export async function failTossFor(page: Page, orderId: string) {
  const response = await page.request.post('/api/toss-sandbox/v1/sandbox/faults', {
    headers: { authorization: `Bearer ${process.env.E2E_SANDBOX_CONTROL_SECRET}` },
    data: { match: { orderId }, action: 'error', status: 500 },
  });
  expect(response.ok()).toBe(true);
}

/** Clears the sandbox's faults (every one: only e2e/orders.spec.ts injects them). */
export async function clearTossFaults(page: Page) {
  await page.request.delete('/api/toss-sandbox/v1/sandbox/faults', {
    headers: { authorization: `Bearer ${process.env.E2E_SANDBOX_CONTROL_SECRET}` },
  });
}
