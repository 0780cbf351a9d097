import { expect, type Page, test } from '@playwright/test';
import { chargeInBrowser, signUpInBrowser } from './helpers';

/**
 * Composite payment in the browser: part of a course from the wallet, the rest by card in the (sandbox)
 * Toss widget. The wallet part is held while the card is asked, taken when it approves, and given back
 * when it refuses.
 */

const COURSE = '대규모 결제 아키텍처 마스터클래스'; // 180,000원

async function chooseSplit(page: Page) {
  await page.goto('/');
  const course = page.getByRole('listitem', { name: COURSE });
  await course.getByText('잔액과 카드로 나눠 결제').click();
  await expect(course.getByText('사용할 수 있는 잔액 30,000원')).toBeVisible();
  // More than the available balance is explained, and offers no button.
  await course.getByLabel('직접 입력').check();
  await course.getByLabel('잔액 사용 금액(원)').fill('179950');
  await expect(course.getByRole('alert')).toContainText('사용할 수 있는 잔액은 30,000원이에요');
  await course.getByLabel('사용할 수 있는 잔액 모두').check();
  await expect(course.getByText('잔액 30,000원 + 카드 150,000원').first()).toBeVisible();
  await course.getByRole('button', { name: `${COURSE} 잔액 30,000원과 카드 150,000원로 결제` }).click();
  await expect(page).toHaveURL(/\/checkout\//);
  const split = page.getByLabel('결제 나누기');
  await expect(split).toContainText('잔액 사용30,000원');
  await expect(split).toContainText('카드 결제150,000원');
}

async function decideInWidget(page: Page, decision: '결제 승인' | '카드 거절') {
  await page.getByLabel('[필수] 결제 서비스 이용 약관, 개인정보 처리 동의').check();
  await page.getByRole('button', { name: '150,000원 결제하기' }).click();
  await page
    .getByRole('dialog', { name: '토스페이먼츠 결제 승인' })
    .getByRole('button', { name: decision })
    .click();
}

test('a learner pays a course with 30,000 won of balance and the rest by card, and sees both parts', async ({
  page,
}) => {
  await signUpInBrowser(page);
  await chargeInBrowser(page, 30_000);
  await expect(page.getByLabel('현재 잔액')).toHaveText('30,000원');
  await chooseSplit(page);
  await decideInWidget(page, '결제 승인');

  await expect(page).toHaveURL(/\/success\?/);
  await expect(page.getByRole('region', { name: '결제 결과' })).toContainText('결제가 완료되었습니다');
  await page.goto('/orders');
  await page.getByRole('link', { name: COURSE }).first().click();
  const facts = page.locator('dl.facts');
  await expect(facts).toContainText('잔액 결제30,000원');
  await expect(facts).toContainText('카드 결제150,000원');
  await expect(facts).toContainText('잔액 + 카드');
  await page.goto('/wallet');
  await expect(page.getByLabel('현재 잔액')).toHaveText('0원');
});

test('a declined card leaves the balance as it was, free to spend again', async ({ page }) => {
  await signUpInBrowser(page);
  await chargeInBrowser(page, 30_000);
  await expect(page.getByLabel('현재 잔액')).toHaveText('30,000원');
  await chooseSplit(page);
  await decideInWidget(page, '카드 거절');
  await expect(page).toHaveURL(/\/fail\?/);
  await expect(page.getByRole('main')).toContainText('카드사에서 결제를 거절했습니다');
  // The page shows Toss's words at once and records the refusal (freeing the hold) in the background;
  // its retry button appears once that is done. Leaving before then would leave the hold to the janitor.
  await expect(page.getByRole('button', { name: '다시 결제하기' })).toBeVisible();
  await page.goto('/wallet');
  await expect(page.getByLabel('현재 잔액')).toHaveText('30,000원');
  // Nothing is held any more: the whole balance can be used again.
  await page.goto('/');
  const course = page.getByRole('listitem', { name: COURSE });
  await course.getByText('잔액과 카드로 나눠 결제').click();
  await expect(course.getByText('사용할 수 있는 잔액 30,000원')).toBeVisible();
});

test('an abandoned checkout keeps the wallet part held until the learner gives it up, then frees it at once', async ({
  page,
}) => {
  await signUpInBrowser(page);
  await chargeInBrowser(page, 30_000);
  // Charged before the catalogue is opened: leaving the page at once could beat the charge to it.
  await expect(page.getByLabel('현재 잔액')).toHaveText('30,000원');
  await chooseSplit(page);
  // The learner leaves the checkout without paying: the catalogue says where the balance went.
  await page.goto('/');
  const course = page.getByRole('listitem', { name: COURSE });
  await course.getByText('잔액과 카드로 나눠 결제').click();
  await expect(course.getByText('잔액 중 30,000원은 진행 중인 결제에 묶여 있어요')).toBeVisible();
  await course.getByRole('link', { name: '내 결제 내역' }).click();
  await page.getByRole('link', { name: COURSE }).first().click();
  await expect(page.getByRole('status')).toContainText('아직 결제하지 않았어요');
  await page.getByRole('link', { name: '결제 이어하기' }).click();
  await page.getByRole('button', { name: '결제 그만두기 (잔액 30,000원 돌려받기)' }).click();
  await expect(page).toHaveURL(/\/orders\//);
  await expect(page.getByRole('status')).toContainText('결제가 이루어지지 않았어요');
  await page.goto('/');
  await page.getByRole('listitem', { name: COURSE }).getByText('잔액과 카드로 나눠 결제').click();
  await expect(
    page.getByRole('listitem', { name: COURSE }).getByText('사용할 수 있는 잔액 30,000원'),
  ).toBeVisible();
});
