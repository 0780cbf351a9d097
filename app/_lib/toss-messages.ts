/** Toss's failure and widget codes, in words for the learner. Unknown codes fall back to Toss's message. */
const MESSAGES: Record<string, string> = {
  PAY_PROCESS_CANCELED: '결제를 취소했습니다. 청구된 금액은 없습니다.',
  PAY_PROCESS_ABORTED: '결제 승인 중 문제가 생겨 결제가 중단되었습니다. 청구된 금액은 없습니다.',
  REJECT_CARD_COMPANY: '카드사에서 결제를 거절했습니다. 다른 카드로 다시 시도해 주세요.',
  USER_CANCEL: '결제를 취소했습니다.',
  NEED_AGREEMENT_WITH_REQUIRED_TERMS: '필수 약관에 동의해 주세요.',
  NOT_SELECTED_PAYMENT_METHOD: '결제 수단을 선택해 주세요.',
  INVALID_METHOD_TRANSACTION: '이미 결제가 진행 중입니다.',
  // Our own codes on a failed order.
  HOLD_EXPIRED: '결제 시간이 지나 주문이 취소되었습니다. 묶어 둔 잔액은 돌려드렸고, 청구된 금액은 없습니다.',
  NOT_FOUND_PAYMENT: '토스페이먼츠에 결제 기록이 없어 결제되지 않았습니다. 청구된 금액은 없습니다.',
};

export function tossMessage(code: string | null | undefined, fallback?: string | null): string {
  return (code && MESSAGES[code]) || fallback || '결제를 진행하지 못했습니다.';
}
