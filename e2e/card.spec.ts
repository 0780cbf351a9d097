import { expect, type Page, test } from '@playwright/test';
import { chargeInBrowser, signUpInBrowser } from './helpers';

/** Card payments through the (sandbox) Toss widget, in Chromium, against the production build. */

const CARD_ONLY_COURSE = '대규모 결제 아키텍처 마스터클래스'; // 180,000원: above the wallet limit

async function payInWidget(page: Page, decision: '결제 승인' | '결제 취소' | '카드 거절') {
  await expect(page).toHaveURL(/\/checkout\//);
  await page.getByLabel('[필수] 결제 서비스 이용 약관, 개인정보 처리 동의').check();
  await page.getByRole('button', { name: /결제하기$/ }).click();
  await page
    .getByRole('dialog', { name: '토스페이먼츠 결제 승인' })
    .getByRole('button', { name: decision })
    .click();
}

async function orderStatus(page: Page, orderId: string): Promise<string> {
  const input = encodeURIComponent(JSON.stringify({ json: { orderId } }));
  const response = await page.request.get(`/api/trpc/order.get?input=${input}`);
  return (await response.json()).result.data.json.status;
}

test('buys a course by card through the widget and lands on a success page that shows it', async ({
  page,
}) => {
  // The pages' Content-Security-Policy must let the whole flow run: any script or frame it blocks is a bug.
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
  });
  await signUpInBrowser(page);
  // Sandbox mode says so on every page, where anyone can see it.
  await expect(page.getByRole('complementary', { name: '테스트 모드' })).toContainText(
    '실제 돈이 오가지 않아요',
  );
  await page.goto('/');
  await page.getByRole('button', { name: `${CARD_ONLY_COURSE} 카드로 결제` }).click();
  await expect(page.getByText('결제 금액 180,000원').first()).toBeVisible();
  await payInWidget(page, '결제 승인');

  await expect(page).toHaveURL(/\/success\?/);
  const result = page.getByRole('region', { name: '결제 결과' });
  await expect(result).toContainText('결제가 완료되었습니다');
  await expect(result).toContainText(CARD_ONLY_COURSE);
  await page.goto('/');
  await expect(page.getByRole('listitem', { name: CARD_ONLY_COURSE }).getByText('수강 중')).toBeVisible();
  expect(blocked).toEqual([]);
});

test('charges the wallet by card; opening the success URL twice charges once', async ({ page, context }) => {
  await signUpInBrowser(page);
  await page.getByLabel('충전 금액 (원)').fill('30000');
  await page.getByRole('button', { name: '카드로 충전' }).click();
  await payInWidget(page, '결제 승인');

  const result = page.getByRole('region', { name: '결제 결과' });
  await expect(result).toContainText('30,000원 충전되었습니다');
  await expect(result).toContainText('현재 잔액 30,000원');

  const successUrl = page.url();
  await page.reload();
  await expect(page.getByRole('region', { name: '결제 결과' })).toContainText('현재 잔액 30,000원');
  const second = await context.newPage();
  await second.goto(successUrl);
  await expect(second.getByRole('region', { name: '결제 결과' })).toContainText('현재 잔액 30,000원');

  await page.goto('/wallet');
  await expect(page.getByLabel('현재 잔액')).toHaveText('30,000원');
  await expect(page.getByRole('table', { name: '거래 내역' }).getByRole('row')).toHaveCount(2);
});

test('cancelling in the widget shows the fail page, fails the order, and offers to try again', async ({
  page,
}) => {
  await signUpInBrowser(page);
  await page.getByLabel('충전 금액 (원)').fill('10000');
  await page.getByRole('button', { name: '카드로 충전' }).click();
  await expect(page).toHaveURL(/\/checkout\//);
  const orderId = page.url().split('/checkout/')[1] ?? '';
  await payInWidget(page, '결제 취소');

  await expect(page).toHaveURL(/\/fail\?/);
  await expect(page.getByRole('main')).toContainText('결제를 취소했습니다');
  await expect(page.getByRole('main')).toContainText('PAY_PROCESS_CANCELED');
  await expect.poll(() => orderStatus(page, orderId)).toBe('FAILED');

  await page.getByRole('button', { name: '다시 결제하기' }).click();
  await expect(page).toHaveURL(/\/checkout\//);
  expect(page.url()).not.toContain(orderId);
  await payInWidget(page, '결제 승인');
  await expect(page.getByRole('region', { name: '결제 결과' })).toContainText('10,000원 충전되었습니다');
});

test('the widget dialog takes focus, keeps Tab inside, and Escape cancels the payment', async ({ page }) => {
  await signUpInBrowser(page);
  await page.goto('/');
  await page.getByRole('button', { name: `${CARD_ONLY_COURSE} 카드로 결제` }).click();
  await expect(page).toHaveURL(/\/checkout\//);
  await page.getByLabel('[필수] 결제 서비스 이용 약관, 개인정보 처리 동의').check();
  await page.getByRole('button', { name: /결제하기$/ }).click();
  const dialog = page.getByRole('dialog', { name: '토스페이먼츠 결제 승인' });
  await expect(dialog.getByRole('button', { name: '결제 승인' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: '카드 거절' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: '결제 승인' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(dialog.getByRole('button', { name: '결제 취소' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/\/fail\?/);
  await expect(page.getByRole('main')).toContainText('PAY_PROCESS_CANCELED');
});

test('a refused card shows the fail page in words', async ({ page }) => {
  await signUpInBrowser(page);
  await page.goto('/');
  await page.getByRole('button', { name: `${CARD_ONLY_COURSE} 카드로 결제` }).click();
  await payInWidget(page, '카드 거절');
  await expect(page.getByRole('main')).toContainText('카드사에서 결제를 거절했습니다');
});

test('an amount edited in the success URL is refused and charges nothing', async ({ page }) => {
  await signUpInBrowser(page);
  await chargeInBrowser(page, 5_000);
  await expect(page.getByLabel('현재 잔액')).toHaveText('5,000원');
  await page.getByLabel('충전 금액 (원)').fill('20000');
  await page.getByRole('button', { name: '카드로 충전' }).click();

  // Catch the redirect back from the widget before the success page can confirm it.
  let honest = '';
  await page.route(/\/success\?/, async (route) => {
    honest = route.request().url();
    await route.abort();
  });
  await payInWidget(page, '결제 승인');
  await expect.poll(() => honest).not.toBe('');
  await page.unroute(/\/success\?/);

  const tampered = new URL(honest);
  tampered.searchParams.set('amount', '200');
  await page.goto(tampered.toString());
  await expect(page.getByRole('main')).toContainText('결제 금액이 주문 금액과 달라요');
  await page.goto('/wallet');
  await expect(page.getByLabel('현재 잔액')).toHaveText('5,000원');

  // The untouched URL still confirms, once.
  await page.goto(honest);
  await expect(page.getByRole('region', { name: '결제 결과' })).toContainText('현재 잔액 25,000원');
});
