import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { createPaymentClient } from '../server/entry-points/trpc/client';
import { signInInBrowser } from './helpers';

const ADMIN = { email: 'admin@example.com', password: 'admin-pass-1234' };

test('an operator registers a webhook endpoint, sees the signed event arrive in the log, and sends it again', async ({
  page,
  baseURL,
}) => {
  if (!baseURL) throw new Error('baseURL is not set');
  // Another service's receiver: it verifies every delivery with the Standard Webhooks reference library.
  let secret = '';
  const verified: { id: string; type: string; data: { userId?: string } }[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const event = new Webhook(secret).verify(Buffer.concat(chunks).toString('utf8'), {
          'webhook-id': String(req.headers['webhook-id']),
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        }) as { type: string; data: { userId?: string } };
        verified.push({ id: String(req.headers['webhook-id']), ...event });
        res.statusCode = 204;
      } catch {
        res.statusCode = 400;
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/payments`;

  try {
    await signInInBrowser(page, ADMIN);
    await page.goto('/admin/webhooks');
    await page
      .getByRole('navigation', { name: '관리자 메뉴' })
      .getByRole('link', { name: '웹훅' })
      .isVisible();
    const form = page.getByRole('form', { name: '엔드포인트 등록' });
    await form.getByLabel('주소').fill(url);
    await form.getByLabel('설명').fill('강의 서비스');
    await form.getByLabel('지갑 잔액 변경 (wallet.changed)').check();
    await form.getByRole('button', { name: '등록하기' }).click();
    await expect(page.getByText('이 서명 키는 지금 한 번만 보여드려요.')).toBeVisible();
    secret = (await form.locator('code').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    await expect(page.getByRole('region', { name: `엔드포인트 ${url}` })).toContainText('사용 중');

    // A learner tops up: wallet.changed reaches the receiver, verified.
    const account = {
      email: `hook-${randomUUID()}@example.com`,
      password: 'password-1234',
      name: '웹훅 학습자',
    };
    const { token, user } = await createPaymentClient({ baseUrl: baseURL }).auth.signUp.mutate(account);
    await createPaymentClient({ baseUrl: baseURL, token }).wallet.charge.mutate({
      amount: 3_000,
      requestId: randomUUID(),
    });
    await expect.poll(() => verified.filter((e) => e.data.userId === user.id).length).toBe(1);
    const [event] = verified.filter((e) => e.data.userId === user.id);
    expect(event?.type).toBe('wallet.changed');

    // The log shows it delivered, with the receiver's answer; sent again, it arrives with the same id.
    await page.getByLabel('종류', { exact: true }).selectOption('wallet.changed');
    const card = page.getByRole('region', { name: `이벤트 ${event?.id}` });
    await expect(card).toContainText('전송됨');
    await expect(card.getByRole('table')).toContainText('204');
    await card.getByRole('button', { name: '다시 보내기' }).click();
    await expect(card.getByRole('status')).toHaveText('1곳에 다시 보내요.');
    await expect.poll(() => verified.filter((e) => e.id === event?.id).length).toBe(2);

    // Stopped: nothing more is sent to it.
    await page
      .getByRole('region', { name: `엔드포인트 ${url}` })
      .getByRole('button', { name: '중지하기' })
      .click();
    await expect(page.getByRole('region', { name: `엔드포인트 ${url}` })).toContainText('중지됨');
  } finally {
    receiver.close();
  }
});
