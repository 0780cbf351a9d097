import { expect, test } from '@playwright/test';
import { signInInBrowser, signUpInBrowser } from './helpers';

test('an admin sees reconciliation, the books check and settlement, and exports CSV', async ({ page }) => {
  // The demo admin that server/entry-points/cli/demo-data.ts creates and grants (the e2e server seeds demo data).
  await signInInBrowser(page, { email: 'admin@example.com', password: 'admin-pass-1234' });
  await page.getByRole('link', { name: '관리자' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { name: '대사 (토스 거래내역과 비교)' })).toBeVisible();
  await expect(page.getByText('모든 규칙을 지킵니다.')).toBeVisible();
  await expect(page.getByRole('table', { name: '정산' })).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '정산 CSV 내보내기' }).click();
  expect((await download).suggestedFilename()).toMatch(/^settlement-.*\.csv$/);
});

test('a learner is not let into the admin page', async ({ page }) => {
  await signUpInBrowser(page);
  await page.goto('/admin');
  await expect(page.getByRole('main').getByRole('alert')).toContainText('관리자만 볼 수 있는 페이지입니다.');
  await expect(page.getByRole('link', { name: '관리자' })).toHaveCount(0);
});
