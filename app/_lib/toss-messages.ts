/** Toss's failure and widget codes, in words for the learner. Unknown codes fall back to Toss's message. */
const MESSAGES: Record<string, string> = {
  PAY_PROCESS_CANCELED: '결제를 취소했습니다. 청구된 금액은 없습니다.',
  PAY_PROCESS_ABORTED: '결제 승인 중 문제가 생겨 결제가 중단되었습니다. 청구된 금액은 없습니다.',
  REJECT_CARD_COMPANY: '카드사에서 결제를 거절했습니다. 다른 카드로 다시 시도해 주세요.',
  USER_CANCEL: '결제를 취소했습니다.',
  NEED_AGREEMENT_WITH_REQUIRED_TERMS: '필수 약관에 동의해 주세요.',
  NOT_SELECTED_PAYMENT_METHOD: '결제 수단을 선택해 주세요.',
  INVALID_METHOD_TRANSACTION: '이미 결제가 진행 중입니다.',
};

export function tossMessage(code: string | null | undefined, fallback?: string | null): string {
  return (code && MESSAGES[code]) || fallback || '결제를 진행하지 못했습니다.';
}
