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
  await course.getByRole('button', { name: `${COURSE} 잔액으로 결제` }).dblclick();
  await expect(course.getByText('수강 중')).toBeVisible();
  await expect(balance).toHaveText('11,000원');

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
  await expect(course.getByRole('alert')).toHaveText('잔액이 부족합니다. 먼저 충전해 주세요.');

  await chargeInBrowser(page, 90_000);
  await expect(page.getByRole('alert').filter({ hasText: '최대 100,000원' })).toBeVisible();
  await expect(balance).toHaveText('20,000원');
  await expect(page.getByRole('table', { name: '거래 내역' }).getByRole('row')).toHaveCount(2);
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
    '이메일 또는 비밀번호가 올바르지 않습니다.',
  );
});

test('the demo learner can sign in and sees the seeded balance', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('이메일').fill('learner@example.com');
  await page.getByLabel('비밀번호').fill('learner-pass-1234');
  await page.getByRole('button', { name: '로그인' }).click();
  await expect(page).toHaveURL(/\/wallet$/);
  await expect(page.getByLabel('현재 잔액')).not.toHaveText('…');
});
