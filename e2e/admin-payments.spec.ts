import { expect, type Page, test } from '@playwright/test';
import { signInInBrowser, signUpInBrowser } from './helpers';

/** The operator finds a payment in one search, reads what happened to it, and refunds part of it. */

const ADMIN = { email: 'admin@example.com', password: 'admin-pass-1234' };
const CARD_COURSE = 'Playwright로 하는 E2E 테스트'; // 48,000원

async function buyByCard(page: Page, title: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `${title} 카드로 결제` }).click();
  await expect(page).toHaveURL(/\/checkout\//);
  await page.getByLabel('[필수] 결제 서비스 이용 약관, 개인정보 처리 동의').check();
  await page.getByRole('button', { name: /결제하기$/ }).click();
  await page
    .getByRole('dialog', { name: '토스페이먼츠 결제 승인' })
    .getByRole('button', { name: '결제 승인' })
    .click();
  await expect(page.getByRole('region', { name: '결제 결과' })).toContainText('결제가 완료되었습니다');
}

test('an admin finds a learner’s card payment by email, reads its Toss log, and refunds part of it', async ({
  page,
  browser,
}) => {
  const learner = await signUpInBrowser(page);
  await buyByCard(page, CARD_COURSE);

  const operatorContext = await browser.newContext();
  const admin = await operatorContext.newPage();
  await signInInBrowser(admin, ADMIN);
  await admin.goto('/admin');
  await admin
    .getByRole('navigation', { name: '관리자 메뉴' })
    .getByRole('link', { name: '결제 찾기' })
    .click();
  await expect(admin).toHaveTitle('관리자: 결제 찾기 · 강의 결제');

  const search = admin.getByRole('form', { name: '결제 찾기' });
  await search.getByRole('button', { name: '찾기' }).click();
  await expect(search.getByRole('alert')).toHaveText(
    '주문 번호, 결제 키(paymentKey) 또는 이메일을 입력해 주세요.',
  );

  await search
    .getByLabel('주문 번호, 결제 키(paymentKey) 또는 학습자 이메일')
    .fill(learner.email.toUpperCase());
  await search.getByRole('button', { name: '찾기' }).click();
  await expect(admin.getByRole('heading', { name: '찾은 결제 1건' })).toBeVisible();
  const found = admin.getByRole('listitem').filter({ hasText: CARD_COURSE });
  await expect(found).toContainText(learner.email);
  await expect(found).toContainText('48,000원');
  await expect(found).toContainText('결제 완료');
  await found.getByRole('link', { name: CARD_COURSE }).click();

  await expect(admin).toHaveURL(/\/admin\/payments\/[A-Za-z0-9_-]+$/);
  await expect(admin).toHaveTitle('관리자: 결제 상세 · 강의 결제');
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText(`결제 상세: ${CARD_COURSE}`);
  await expect(admin.getByRole('main')).toContainText(learner.email);
  await expect(admin.getByRole('list', { name: '진행 내역' })).toContainText('결제가 완료되었어요');
  const tossLog = admin.getByRole('list', { name: '토스페이먼츠 통신 기록' });
  await expect(tossLog.getByRole('listitem').first()).toContainText('결제 승인 요청');
  await expect(tossLog.getByRole('listitem').first()).toContainText('응답 200');
  await tossLog.getByText('POST /v1/payments/confirm').click();
  await expect(tossLog.getByRole('listitem').first()).toContainText('"amount": 48000');
  // The card number is shown by its last four characters only.
  await expect(tossLog).not.toContainText('12345678');

  // A partial refund: the amount is checked before anything is sent, the reason is mandatory.
  const refund = admin.getByRole('form', { name: '환불' });
  await refund.getByLabel('환불 금액 (원, 비우면 남은 금액 전부)').fill('50000');
  await refund.getByLabel('사유 (필수)').fill('강의 일부 제공 불가');
  await refund.getByRole('button', { name: '환불하기' }).click();
  await expect(refund.getByRole('alert')).toContainText('1원에서 48,000원 사이의 정수로');
  await refund.getByLabel('환불 금액 (원, 비우면 남은 금액 전부)').fill('10000');
  await refund.getByRole('button', { name: '환불하기' }).click();
  await expect(admin.getByRole('heading', { name: '부분 환불' })).toBeVisible();
  await expect(admin.getByRole('list', { name: '환불 내역' })).toContainText(
    '10,000원 · 환불 완료 · 관리자 요청',
  );
  await expect(admin.getByRole('list', { name: '관리자 작업' })).toContainText(
    `${ADMIN.email} · 환불 · 사유: 강의 일부 제공 불가`,
  );
  await expect(admin.getByRole('form', { name: '환불' })).toContainText('남은 금액 38,000원');

  await admin.goto('/admin/audit');
  await expect(admin.getByRole('main')).toContainText('강의 일부 제공 불가');
  await operatorContext.close();

  await page.goto('/orders');
  await expect(
    page.getByRole('table', { name: '결제 내역' }).getByRole('row').filter({ hasText: CARD_COURSE }),
  ).toContainText('부분 환불');
});

test('a learner cannot open the operator’s payment pages', async ({ page }) => {
  await signUpInBrowser(page);
  await page.goto('/admin/payments');
  await expect(page.getByRole('main').getByRole('alert')).toContainText('관리자만 볼 수 있는 페이지입니다.');
  await page.goto('/admin/payments/some-order-id-1');
  await expect(page.getByRole('main').getByRole('alert')).toContainText('관리자만 볼 수 있는 페이지입니다.');
});
