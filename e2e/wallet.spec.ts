import { expect, test } from '@playwright/test';
import { chargeInBrowser, signUpInBrowser } from './helpers';

const COURSE = '결제 시스템 테스트 입문'; // 39,000원 in the demo seed

test('a learner signs up, charges, buys a course with a double click and sees one payment', async ({
  page,
}) => {
  await signUpInBrowser(page);
  const balance = page.getByLabel('현재 잔액');
  await expect(balance).toHaveText('0원');

  await chargeInBrowser(page, 50_000);
  await expect(page.getByRole('status').filter({ hasText: '충전 완료' })).toBeVisible();
  await expect(balance).toHaveText('50,000원');

  const payRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('wallet.pay')) payRequests.push(request.url());
  });
  const course = page.getByRole('listitem', { name: COURSE });
  await course.getByRole('button', { name: `${COURSE} 잔액으로 결제` }).click();
  // A confirmation first: the price and the balance after it; nothing is paid yet.
  const confirmation = course.getByRole('region', { name: `${COURSE} 잔액 결제 확인` });
  await expect(confirmation).toContainText('결제 후 잔액');
  await expect(confirmation).toContainText('11,000원');
  expect(payRequests).toHaveLength(0);
  await confirmation.getByRole('button', { name: '39,000원 결제하기' }).dblclick();
  await expect(course.getByText('수강 중')).toBeVisible();
  await expect(balance).toHaveText('11,000원');
  // The result stays on screen, with the way to the order.
  await expect(course.getByRole('status')).toContainText('남은 잔액 11,000원');
  await expect(course.getByRole('link', { name: '주문 보기' })).toHaveAttribute('href', /^\/orders\//);

  const history = page.getByRole('table', { name: '거래 내역' });
  await expect(history.getByRole('row')).toHaveCount(3); // header + payment + charge
  await expect(history.getByRole('row').nth(1)).toContainText(COURSE);
  await expect(history.getByRole('row').nth(1)).toContainText('-39,000원');
  await expect(history.getByRole('row').nth(2)).toContainText('+50,000원');

  // A double click is one intent: one request reached the server, and no refusal was shown.
  expect(payRequests).toHaveLength(1);
  await expect(course.getByRole('alert')).toHaveCount(0);

  // What the page shows is what the server holds, after a reload too.
  await page.reload();
  await expect(balance).toHaveText('11,000원');
  await expect(page.getByRole('table', { name: '거래 내역' }).getByRole('row')).toHaveCount(3);
});

test('refusals are shown in words and change nothing', async ({ page }) => {
  await signUpInBrowser(page);
  const balance = page.getByLabel('현재 잔액');
  await chargeInBrowser(page, 20_000);
  await expect(balance).toHaveText('20,000원');

  const course = page.getByRole('listitem', { name: COURSE });
  await course.getByRole('button', { name: `${COURSE} 잔액으로 결제` }).click();
  // Refused before any request, saying by how much and what to do.
  await expect(course.getByRole('alert')).toHaveText('잔액이 19,000원 부족해요. 충전하기');
  await expect(course.getByRole('link', { name: '충전하기' })).toBeVisible();

  await chargeInBrowser(page, 90_000);
  await expect(page.getByRole('alert').filter({ hasText: '최대 100,000원' })).toBeVisible();
  await expect(balance).toHaveText('20,000원');
  await expect(page.getByRole('table', { name: '거래 내역' }).getByRole('row')).toHaveCount(2);
});

test('the amount field takes whole won as typed and refuses anything else before any request', async ({
  page,
}) => {
  await signUpInBrowser(page);
  const chargeRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('wallet.charge') || request.url().includes('order.create'))
      chargeRequests.push(request.url());
  });
  await chargeInBrowser(page, 65_147);
  const balance = page.getByLabel('현재 잔액');
  await expect(balance).toHaveText('65,147원');
  const field = page.getByLabel('충전 금액 (원)');
  await expect(page.getByText('지금 최대 34,853원까지 충전할 수 있어요.')).toBeVisible();
  chargeRequests.length = 0;

  for (const [typed, refusal] of [
    ['-5000', '음수는 충전할 수 없어요.'],
    ['12.5', '금액은 원 단위의 정수로 입력해 주세요.'],
    ['1e3', '금액은 숫자로만 입력해 주세요.'],
    ['', '충전할 금액을 입력해 주세요.'],
    ['34854', '잔액은 최대 100,000원까지 보유할 수 있어요. 지금은 최대 34,853원까지 충전할 수 있어요.'],
  ] as const) {
    await field.fill(typed);
    await expect(field).toHaveValue(typed); // never rewritten
    await page.getByRole('button', { name: '충전하기' }).click();
    await expect(page.locator('#charge-message[role=alert]')).toHaveText(refusal);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await page.getByRole('button', { name: '카드로 충전' }).click();
    await expect(page.locator('#charge-message[role=alert]')).toHaveText(refusal);
  }
  expect(chargeRequests).toEqual([]);
  await expect(balance).toHaveText('65,147원');

  await field.fill('34,853');
  await page.getByRole('button', { name: '충전하기' }).click();
  await expect(balance).toHaveText('100,000원');
  await expect(page.getByText('잔액이 한도에 도달해 더 충전할 수 없어요.')).toBeVisible();
});

test('history pages through older entries', async ({ page }) => {
  await signUpInBrowser(page);
  for (let i = 1; i <= 12; i++) {
    await chargeInBrowser(page, 1_000);
    await expect(page.getByLabel('현재 잔액')).toHaveText(`${(i * 1_000).toLocaleString('ko-KR')}원`);
  }
  const rows = page.getByRole('table', { name: '거래 내역' }).getByRole('row');
  await expect(rows).toHaveCount(11);
  await page.getByRole('button', { name: '더 보기' }).click();
  await expect(rows).toHaveCount(13);
  await expect(page.getByRole('button', { name: '더 보기' })).toHaveCount(0);
});

test('a wrong password is refused in words', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('이메일').fill('learner@example.com');
  await page.getByLabel('비밀번호').fill('not-the-password');
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(
    '이메일 또는 비밀번호가 올바르지 않아요. 다시 확인해 주세요.',
  );
});

test('sign-up refusals arrive in Korean, tied to the field they are about', async ({ page }) => {
  await page.goto('/sign-up');
  await page.getByLabel('이름').fill('짧은 비밀번호');
  await page.getByLabel('이메일').fill(`short-${Date.now()}@example.com`);
  await page.getByLabel('비밀번호').fill('short');
  await page.getByRole('button', { name: '회원가입' }).click();
  const alert = page.getByRole('main').getByRole('alert');
  await expect(alert).toHaveText('비밀번호는 8자 이상으로 입력해 주세요.');
  await expect(alert).not.toContainText('password');
  await expect(page.getByLabel('비밀번호')).toHaveAttribute('aria-describedby', 'auth-error');
  await expect(page.getByLabel('비밀번호')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('이메일')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/sign-up$/);
});

test('the demo learner can sign in and sees the seeded balance', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('이메일').fill('learner@example.com');
  await page.getByLabel('비밀번호').fill('learner-pass-1234');
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page).toHaveURL(/\/wallet$/);
  await expect(page.getByLabel('현재 잔액')).not.toHaveText('…');
});
