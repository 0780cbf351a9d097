import { TRPCClientError } from '@trpc/client';
import type { DomainReason } from '@/server/building-blocks/errors/domain-error';

/** Every refusal the server can give, in words; a new reason without a message fails the type check. */
export const REASON_MESSAGES = {
  INSUFFICIENT_BALANCE: '잔액이 부족합니다. 먼저 충전해 주세요.',
  BALANCE_LIMIT_EXCEEDED: '잔액은 최대 100,000원까지 보유할 수 있습니다.',
  ALREADY_PURCHASED: '이미 구매한 강의입니다.',
  PURCHASE_REFUNDED: '이 구매는 완료된 뒤 환불되었습니다. 주문 내역을 확인해 주세요.',
  NOT_FOUND: '강의를 찾을 수 없습니다.',
  IDEMPOTENCY_KEY_REUSED: '같은 요청 번호가 다른 요청에 이미 쓰였습니다. 다시 시도해 주세요.',
  EMAIL_TAKEN: '이미 가입된 이메일입니다.',
  INVALID_CREDENTIALS: '이메일 또는 비밀번호가 올바르지 않습니다.',
  UNAUTHORIZED: '로그인이 필요합니다.',
  FORBIDDEN: '관리자만 할 수 있습니다.',
  TOSS_UNAVAILABLE: '토스페이먼츠에 연결하지 못했습니다. 잠시 후 다시 시도해 주세요.',
  REFUND_WINDOW_CLOSED:
    '구매 후 7일 안에 전액만 환불할 수 있습니다. 그 밖의 환불은 고객센터로 문의해 주세요.',
  REFUND_EXCEEDS_PAYMENT: '결제 금액보다 많이 환불할 수 없습니다.',
  NOT_REFUNDABLE: '환불할 수 없는 주문입니다.',
  PAYMENT_IN_DOUBT: '결제 결과를 확인하고 있습니다. 잠시 후 다시 시도해 주세요.',
  TOO_MANY_ATTEMPTS: '시도가 너무 많습니다. 잠시 후에 다시 시도해 주세요.',
  TEST_CHARGE_DISABLED: '테스트 충전은 샌드박스 모드에서만 쓸 수 있습니다. 카드로 충전해 주세요.',
  ORDER_NOT_FOUND: '주문을 찾을 수 없습니다.',
  PAYMENT_IN_PROGRESS:
    '이 강의의 결제를 아직 확인하고 있어요. 확인이 끝나면 다시 시도해 주세요. 내 결제 내역에서 상태를 볼 수 있어요.',
  ORDER_NOT_PAYABLE: '이 주문은 결제를 기다리는 상태가 아닙니다.',
  AMOUNT_MISMATCH: '결제 금액이 주문 금액과 다릅니다. 결제를 진행하지 않았으며 청구된 금액은 없습니다.',
  PAYMENT_FAILED: '결제가 승인되지 않았습니다.',
  USER_NOT_FOUND: '이 이메일로 가입한 계정이 없어요. 이메일을 확인해 주세요.',
  OWN_WALLET_ADJUSTMENT: '자기 지갑은 조정할 수 없어요. 다른 관리자에게 요청해 주세요.',
  COURSE_RETIRED: '판매가 종료된 강의예요. 구매할 수 없어요.',
  ALERT_NOT_FOUND: '알림을 찾을 수 없어요.',
  ALERT_ALREADY_ACKNOWLEDGED: '이미 확인 처리된 알림이에요.',
  ALERT_ALREADY_RESOLVED: '이미 해결 처리된 알림이에요.',
} satisfies Record<DomainReason, string>;

function isKnownReason(reason: string): reason is DomainReason {
  return Object.hasOwn(REASON_MESSAGES, reason);
}

/** A sentence for the learner: the refusal in words, never a stack trace. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const reason = (error.data as { reason?: string } | undefined)?.reason;
    if (reason === 'TOO_MANY_ATTEMPTS') {
      const seconds = (error.data as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 900;
      return `시도가 너무 많습니다. ${Math.ceil(seconds / 60)}분 후에 다시 시도해 주세요.`;
    }
    if (reason && isKnownReason(reason)) return REASON_MESSAGES[reason];
    if (reason === 'INVALID_INPUT') {
      const issues = (error.data as { issues?: { messageKo?: string }[] } | undefined)?.issues ?? [];
      const sentences = [...new Set(issues.map((issue) => issue.messageKo).filter(Boolean))];
      return sentences.length > 0 ? sentences.join(' ') : '입력값을 확인해 주세요.';
    }
  }
  return '일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.';
}

/** True when the server gave a definite answer, so a retry is a new intent with a new requestId. */
export function isDefiniteAnswer(error: unknown): boolean {
  return (
    error instanceof TRPCClientError &&
    typeof error.data?.httpStatus === 'number' &&
    error.data.httpStatus < 500
  );
}
