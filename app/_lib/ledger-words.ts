/** What a wallet's ledger entry is, in words a learner knows. */
export interface LedgerEntryView {
  type: 'CHARGE' | 'PAYMENT' | 'REFUND' | 'CHARGE_CANCEL' | 'ADJUSTMENT';
  requestId: string;
  orderId: string | null;
  courseTitle: string | null;
}

/** 테스트 충전, 카드 충전, 강의 결제, 환불, 충전 취소, 관리자 조정 — from the entry's type and what made it. */
export function ledgerEntryKind(entry: LedgerEntryView): string {
  switch (entry.type) {
    case 'CHARGE':
      if (entry.requestId.startsWith('sys:charge-cancel-refused:')) return '충전 취소 철회';
      return entry.orderId ? '카드 충전' : '테스트 충전';
    case 'PAYMENT':
      return '강의 결제';
    case 'REFUND':
      return '환불';
    case 'CHARGE_CANCEL':
      return '충전 취소';
    case 'ADJUSTMENT':
      return '관리자 조정';
  }
}

/** What the entry belongs to: the course, or the order for a card charge and its cancels. */
export function ledgerEntrySubject(entry: LedgerEntryView): string {
  if (entry.type === 'ADJUSTMENT') return '잔액 조정';
  if (entry.courseTitle) return entry.courseTitle;
  if (entry.orderId) return `주문 ${entry.orderId}`;
  return '잔액 충전';
}
