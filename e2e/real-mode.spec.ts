import { expect, test } from '@playwright/test';
import { newLearner, signUpInBrowser } from './helpers';

/**
 * The same build in a mode that is not the sandbox: Toss's own test keys (no Toss is reachable here, and
 * nothing below needs it). What a learner sees must not offer money without a card, and no sandbox path
 * may answer.
 */
test.use({ baseURL: `http://localhost:${Number(process.env.E2E_REAL_PORT ?? 3211)}` });

test('outside sandbox mode the wallet offers only a card charge, and the sandbox does not exist', async ({
  page,
  request,
}) => {
  await signUpInBrowser(page, newLearner());
  await expect(page.getByRole('button', { name: '카드로 충전' })).toBeVisible();
  await expect(page.getByRole('button', { name: '충전하기' })).toHaveCount(0);
  // Toss's test keys move no money either, and the page says so.
  await expect(page.getByRole('complementary', { name: '테스트 모드' })).toContainText(
    '토스페이먼츠 테스트 키',
  );

  expect(await (await request.get('/api/health')).json()).toMatchObject({ mode: 'toss-test' });
  expect((await request.get('/toss-sandbox/payment-widget.js')).status()).toBe(404);
  expect((await request.post('/api/toss-sandbox/v1/sandbox/payments', { data: {} })).status()).toBe(404);
  const csp = (await request.get('/')).headers()['content-security-policy'];
  expect(csp).toContain('https://*.tosspayments.com');
});
