import { expect, type Page, test } from '@playwright/test';
import { chargeInBrowser, clearTossFaults, failTossFor, signUpInBrowser } from './helpers';

/** 내 결제 내역, the order page (timeline, receipt, refund), and "결제 확인 중", in Chromium. */

const BALANCE_COURSE = 'TypeScript로 만드는 tRPC API'; // 25,000원
const CARD_COURSE = 'Playwright로 하는 E2E 테스트'; // 48,000원
const DOUBT_COURSE = '대규모 결제 아키텍처 마스터클래스'; // 180,000원: card only

async function payInWidget(page: Page) {
  await expect(page).toHaveURL(/\/checkout\//);
  await page.getByLabel('[필수] 결제 서비스 이용 약관, 개인정보 처리 동의').check();
  await page.getByRole('button', { name: /결제하기$/ }).click();
  await page
    .getByRole('dialog', { name: '토스페이먼츠 결제 승인' })
    .getByRole('button', { name: '결제 승인' })
    .click();
}

async function buyByCard(page: Page, title: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `${title} 카드로 결제` }).click();
  await payInWidget(page);
  await expect(page.getByRole('region', { name: '결제 결과' })).toContainText('결제가 완료되었습니다');
}

async function buyWithBalance(page: Page, title: string) {
  await page.goto('/');
  const course = page.getByRole('listitem', { name: title });
  await course.getByRole('button', { name: `${title} 잔액으로 결제` }).click();
  await course
    .getByRole('region', { name: `${title} 잔액 결제 확인` })
    .getByRole('button', { name: /원 결제하기$/ })
    .click();
  await expect(course.getByText('수강 중')).toBeVisible();
}

function row(page: Page, title: string) {
  return page.getByRole('table', { name: '결제 내역' }).getByRole('row').filter({ hasText: title });
}

test('내 결제 내역 lists a balance and a card purchase, newest first, with method and status', async ({
  page,
}) => {
  await signUpInBrowser(page);
  await chargeInBrowser(page, 30_000);
  await expect(page.getByLabel('현재 잔액')).toHaveText('30,000원');
  await buyWithBalance(page, BALANCE_COURSE);
  await buyByCard(page, CARD_COURSE);

  await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '내 결제 내역' }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page).toHaveTitle('내 결제 내역 · 강의 결제');
  const rows = page.getByRole('table', { name: '결제 내역' }).getByRole('row');
  await expect(rows).toHaveCount(3); // header + two orders
  await expect(rows.nth(1)).toContainText(CARD_COURSE);
  await expect(rows.nth(2)).toContainText(BALANCE_COURSE);
  await expect(row(page, CARD_COURSE)).toContainText('카드 · 롯데카드 ····000*');
  await expect(row(page, CARD_COURSE)).toContainText('48,000원');
  await expect(row(page, CARD_COURSE)).toContainText('결제 완료');
  await expect(row(page, BALANCE_COURSE)).toContainText('잔액');
  await expect(row(page, BALANCE_COURSE)).toContainText('25,000원');
  await expect(row(page, BALANCE_COURSE)).toContainText('결제 완료');
});

test('the order page tells what happened, links Toss’s receipt, and refunds the card payment', async ({
  page,
  context,
}) => {
  await signUpInBrowser(page);
  await buyByCard(page, CARD_COURSE);
  await page.getByRole('link', { name: '주문 상세 보기' }).click();
  await expect(page).toHaveURL(/\/orders\/[A-Za-z0-9_-]+$/);
  await expect(page).toHaveTitle('주문 상세 · 강의 결제');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(CARD_COURSE);

  const timeline = page.getByRole('list', { name: '진행 내역' }).getByRole('listitem');
  await expect(timeline).toHaveCount(3);
  await expect(timeline.nth(0)).toContainText('주문을 만들었어요');
  await expect(timeline.nth(1)).toContainText(
    '토스페이먼츠에 결제 승인을 요청했어요 (1번째) · 승인 응답을 받았어요',
  );
  await expect(timeline.nth(2)).toContainText('결제가 완료되었어요');

  const [receipt] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('link', { name: '카드 영수증 보기' }).click(),
  ]);
  await expect(receipt.locator('body')).toContainText('결제 금액');
  await expect(receipt.locator('body')).toContainText('48,000원');
  await receipt.close();

  const refund = page.getByRole('region', { name: '환불' });
  await expect(refund).toContainText('구매 후 7일 안에는 직접 전액 환불할 수 있어요');
  await refund.getByRole('button', { name: '전액 환불하기' }).click();
  await refund.getByRole('button', { name: '환불 확정' }).click();
  await expect(refund).toContainText('환불을 요청했어요: 환불 완료');
  await expect(refund).toContainText('이 주문은 이미 환불했거나 환불하고 있어요.');
  await expect(refund.getByRole('button', { name: '전액 환불하기' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: '주문 상태' })).toContainText('환불되었어요');
  await expect(timeline.last()).toContainText('내가 요청한 환불 48,000원 · 카드로 · 환불 완료');

  await page.goto('/orders');
  await expect(row(page, CARD_COURSE)).toContainText('환불 완료');
  await page.goto('/');
  const course = page.getByRole('listitem', { name: CARD_COURSE });
  await expect(course.getByRole('button', { name: `${CARD_COURSE} 카드로 결제` })).toBeVisible();
  await expect(course.getByText('수강 중')).toHaveCount(0);
});

test('a balance purchase refunded from the order page goes back to the wallet', async ({ page }) => {
  await signUpInBrowser(page);
  await chargeInBrowser(page, 30_000);
  await expect(page.getByLabel('현재 잔액')).toHaveText('30,000원');
  await buyWithBalance(page, BALANCE_COURSE);
  await page.goto('/orders');
  await row(page, BALANCE_COURSE).getByRole('link', { name: BALANCE_COURSE }).click();
  await expect(page.getByRole('list', { name: '진행 내역' })).not.toContainText('토스페이먼츠');
  await expect(page.getByRole('link', { name: '카드 영수증 보기' })).toHaveCount(0);
  const refund = page.getByRole('region', { name: '환불' });
  await refund.getByRole('button', { name: '전액 환불하기' }).click();
  await refund.getByRole('button', { name: '환불 확정' }).click();
  await expect(refund).toContainText('환불을 요청했어요: 환불 완료');

  await page.goto('/orders');
  await expect(row(page, BALANCE_COURSE)).toContainText('환불 완료');
  await page.goto('/wallet');
  await expect(page.getByLabel('현재 잔액')).toHaveText('30,000원');
});

test('an order in doubt shows 결제 확인 중 in the catalogue and cannot be bought twice', async ({ page }) => {
  await signUpInBrowser(page);
  await page.goto('/');
  await page.getByRole('button', { name: `${DOUBT_COURSE} 카드로 결제` }).click();
  await expect(page).toHaveURL(/\/checkout\//);
  const orderId = page.url().split('/checkout/')[1] ?? '';
  // Toss answers nothing but 500s about this order: the confirm's outcome is unknown.
  await failTossFor(page, orderId);
  try {
    await payInWidget(page);
    await expect(page.getByRole('region', { name: '결제 결과' })).toContainText('결제를 확인하고 있어요');

    await page.goto('/');
    const course = page.getByRole('listitem', { name: DOUBT_COURSE });
    await expect(course.getByText('결제 확인 중')).toBeVisible();
    await expect(course.getByRole('button', { name: `${DOUBT_COURSE} 카드로 결제` })).toHaveCount(0);

    await page.goto('/orders');
    await expect(row(page, DOUBT_COURSE)).toContainText('확인 중');
    await page.goto(`/orders/${orderId}`);
    await expect(page.getByRole('list', { name: '진행 내역' })).toContainText('응답을 받지 못했어요');
    await expect(page.getByRole('button', { name: '다시 확인' })).toBeVisible();
  } finally {
    await clearTossFaults(page);
  }
  // Once Toss answers again, "다시 확인" (or the janitor, whichever comes first) settles it.
  await expect(async () => {
    await page.reload();
    const retry = page.getByRole('button', { name: '다시 확인' });
    if (await retry.isVisible()) await retry.click();
    await expect(page.getByRole('region', { name: '주문 상태' })).toContainText('결제가 완료되었어요', {
      timeout: 2_000,
    });
  }).toPass({ timeout: 20_000 });
  await page.goto('/');
  await expect(page.getByRole('listitem', { name: DOUBT_COURSE }).getByText('수강 중')).toBeVisible();
});

test('another learner’s order is not found, exactly like a missing one', async ({ page, browser }) => {
  await signUpInBrowser(page);
  await buyByCard(page, CARD_COURSE);
  await page.getByRole('link', { name: '주문 상세 보기' }).click();
  await expect(page).toHaveURL(/\/orders\/[A-Za-z0-9_-]+$/);
  const mine = page.url();

  const other = await browser.newContext();
  const stranger = await other.newPage();
  await signUpInBrowser(stranger);
  await stranger.goto(mine);
  await expect(stranger.getByRole('heading', { level: 1 })).toHaveText('주문을 찾을 수 없어요');
  await expect(stranger.getByRole('main')).not.toContainText(CARD_COURSE);
  await stranger.goto('/orders/no-such-order-123');
  await expect(stranger.getByRole('heading', { level: 1 })).toHaveText('주문을 찾을 수 없어요');
  await other.close();
});
