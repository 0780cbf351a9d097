import { describe, expect, it } from 'vitest';
import { ledgerEntryKind, ledgerEntrySubject } from './ledger-words';

const entry = (type: 'CHARGE' | 'PAYMENT' | 'REFUND' | 'CHARGE_CANCEL' | 'ADJUSTMENT', extra = {}) => ({
  type,
  requestId: 'r-1',
  orderId: null,
  courseTitle: null,
  ...extra,
});

describe('wallet history in words', () => {
  it('names each kind of entry', () => {
    expect(ledgerEntryKind(entry('CHARGE'))).toBe('테스트 충전');
    expect(ledgerEntryKind(entry('CHARGE', { orderId: 'ORDER1', requestId: 'sys:order:ORDER1' }))).toBe(
      '카드 충전',
    );
    expect(ledgerEntryKind(entry('PAYMENT', { courseTitle: '강의' }))).toBe('강의 결제');
    expect(ledgerEntryKind(entry('REFUND'))).toBe('환불');
    expect(ledgerEntryKind(entry('CHARGE_CANCEL', { orderId: 'ORDER1' }))).toBe('충전 취소');
    expect(
      ledgerEntryKind(entry('CHARGE', { orderId: 'ORDER1', requestId: 'sys:charge-cancel-refused:x' })),
    ).toBe('충전 취소 철회');
    expect(ledgerEntryKind(entry('ADJUSTMENT', { requestId: 'sys:adjustment:a:b' }))).toBe('관리자 조정');
    expect(ledgerEntrySubject(entry('ADJUSTMENT'))).toBe('잔액 조정');
  });

  it('says what the entry belongs to: the course, else the order', () => {
    expect(ledgerEntrySubject(entry('PAYMENT', { courseTitle: '결제 시스템 테스트 입문' }))).toBe(
      '결제 시스템 테스트 입문',
    );
    expect(ledgerEntrySubject(entry('CHARGE', { orderId: 'ORDER1' }))).toBe('주문 ORDER1');
    expect(ledgerEntrySubject(entry('CHARGE'))).toBe('잔액 충전');
  });
});
