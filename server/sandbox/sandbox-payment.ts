import { randomBytes } from 'node:crypto';
import { receiptUrl, SANDBOX_CARD } from './sandbox-receipt';
import {
  approvedPaymentOfOrder,
  expirePayment,
  newestPaymentOfOrder,
  paymentByKey,
  type SandboxDb,
  type SandboxPayment,
} from './sandbox-store';

/** The sandbox's payments, as Toss would keep them, and the Payment JSON Toss returns for them. */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export function randomKey(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE62[byte % 62];
  return out;
}

export function transactionKey(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** Toss's timestamps: ISO-8601 in Korean time, no milliseconds (2024-02-13T12:18:14+09:00). */
export function kst(date: Date | null): string | null {
  if (!date) return null;
  const shifted = new Date(date.getTime() + 9 * 3_600_000);
  return `${shifted.toISOString().slice(0, 19)}+09:00`;
}

export function paymentJson(p: SandboxPayment) {
  const cancels = p.cancels ?? [];
  const vat = Math.round(p.balanceAmount / 11);
  return {
    mId: 'tosssandbox',
    version: '2022-11-16',
    lastTransactionKey: p.lastTransactionKey,
    paymentKey: p.paymentKey,
    orderId: p.orderId,
    orderName: p.orderName,
    taxExemptionAmount: 0,
    status: p.status,
    requestedAt: kst(p.requestedAt),
    approvedAt: kst(p.approvedAt),
    useEscrow: false,
    cultureExpense: false,
    card:
      p.method === '카드'
        ? {
            issuerCode: SANDBOX_CARD.issuerCode,
            acquirerCode: SANDBOX_CARD.issuerCode,
            number: SANDBOX_CARD.number,
            installmentPlanMonths: 0,
            isInterestFree: false,
            interestPayer: null,
            approveNo: p.approvedAt ? '00000000' : null,
            useCardPoint: false,
            cardType: '신용',
            ownerType: '개인',
            acquireStatus: p.status === 'CANCELED' ? 'CANCELED' : 'READY',
            amount: p.totalAmount,
          }
        : null,
    virtualAccount: null,
    transfer: null,
    mobilePhone: null,
    giftCertificate: null,
    cashReceipt: null,
    cashReceipts: null,
    discount: null,
    cancels: cancels.length
      ? cancels.map((c) => ({
          ...c,
          taxFreeAmount: 0,
          taxExemptionAmount: 0,
          transferDiscountAmount: 0,
          easyPayDiscountAmount: 0,
          receiptKey: null,
          cancelStatus: 'DONE',
          cancelRequestId: null,
        }))
      : null,
    secret: null,
    type: 'NORMAL',
    easyPay: null,
    country: 'KR',
    failure: p.failureCode ? { code: p.failureCode, message: p.failureMessage ?? '' } : null,
    isPartialCancelable: true,
    receipt: { url: receiptUrl(p.paymentKey) },
    checkout: { url: `https://sandbox.invalid/v1/payments/${p.paymentKey}/checkout` },
    currency: 'KRW',
    totalAmount: p.totalAmount,
    balanceAmount: p.balanceAmount,
    suppliedAmount: p.balanceAmount - vat,
    vat,
    taxFreeAmount: 0,
    metadata: null,
    method: p.method,
  };
}

/** Reads a payment, first moving it to EXPIRED when its confirm window has passed (as Toss does). */
export async function findPayment(db: SandboxDb, where: { paymentKey: string } | { orderId: string }) {
  const payment =
    'paymentKey' in where ? await paymentByKey(db, where.paymentKey) : await findByOrderId(db, where.orderId);
  if (payment && payment.status === 'IN_PROGRESS' && payment.expiresAt.getTime() <= Date.now()) {
    return expirePayment(db, payment.paymentKey);
  }
  return payment;
}

/** An order's payment: the approved one if there is one (as Toss allows only one), else the newest. */
async function findByOrderId(db: SandboxDb, orderId: string) {
  return (await approvedPaymentOfOrder(db, orderId)) ?? newestPaymentOfOrder(db, orderId);
}
