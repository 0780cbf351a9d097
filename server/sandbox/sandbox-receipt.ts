import { paymentByKey, type SandboxDb } from './sandbox-store';

/**
 * The sandbox's card receipt (매출전표), what Toss's `receipt.url` opens: a plain page anyone holding the
 * link can read, as Toss's is. Served at /api/toss-sandbox/receipts/{paymentKey}, under the API's
 * Content-Security-Policy (nothing may run or load), so it is bare HTML.
 */

export const RECEIPT_PATH = '/receipts/';

/** The one card every sandbox payment is made with (Toss's issuerCode 71 is 롯데카드). */
export const SANDBOX_CARD = { issuerCode: '71', company: '롯데카드', number: '12345678****000*' } as const;

/** Where a payment's receipt is: a path of this app, since the sandbox does not know its public origin. */
export function receiptUrl(paymentKey: string): string {
  return `/api/toss-sandbox${RECEIPT_PATH}${encodeURIComponent(paymentKey)}`;
}

const STATUS_WORDS: Record<string, string> = {
  DONE: '승인',
  CANCELED: '취소',
  PARTIAL_CANCELED: '부분 취소',
};

export async function receiptPage(db: SandboxDb, paymentKey: string): Promise<Response> {
  const payment = await paymentByKey(db, paymentKey);
  const status = payment ? STATUS_WORDS[payment.status] : undefined;
  if (!payment || !status || !payment.approvedAt) {
    return html(404, '영수증을 찾을 수 없어요', '<p>승인된 결제의 영수증만 볼 수 있어요.</p>');
  }
  const rows: [string, string][] = [
    ['주문명', payment.orderName],
    ['주문번호', payment.orderId],
    ['결제 금액', won(payment.totalAmount)],
    ['상태', status],
    ['승인 일시', koreanTime(payment.approvedAt)],
    ['결제 수단', `${payment.method} (${SANDBOX_CARD.company} ${SANDBOX_CARD.number})`],
  ];
  for (const cancel of payment.cancels ?? []) {
    rows.push(['취소', `${won(cancel.cancelAmount)} · ${cancel.canceledAt} · ${cancel.cancelReason}`]);
  }
  if (payment.balanceAmount !== payment.totalAmount) rows.push(['남은 금액', won(payment.balanceAmount)]);
  const list = rows
    .map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  return html(
    200,
    `카드 영수증 · ${payment.orderName}`,
    `<p>토스페이먼츠 샌드박스의 연습용 영수증이에요. 실제 돈은 오가지 않았어요.</p><dl>${list}</dl>`,
  );
}

function html(status: number, title: string, body: string): Response {
  const page = `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
  return new Response(page, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function won(amount: number) {
  return `${amount.toLocaleString('ko-KR')}원`;
}

function koreanTime(date: Date) {
  return date.toLocaleString('ko-KR', { timeZone: 'Asia/Seoul', dateStyle: 'long', timeStyle: 'medium' });
}

function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
