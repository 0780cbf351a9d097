import { TRPCClientError } from '@trpc/client';
import type { DomainReason } from '@/server/building-blocks/errors/domain-error';

/** Every refusal the server can give, in words; a new reason without a message fails the type check. */
export const REASON_MESSAGES = {
  INSUFFICIENT_BALANCE: '잔액이 부족해요. 내 지갑에서 충전한 뒤 다시 시도해 주세요.',
  BALANCE_LIMIT_EXCEEDED: '잔액은 최대 100,000원까지 가질 수 있어요. 금액을 줄여 주세요.',
  ALREADY_PURCHASED: '이미 구매한 강의예요. 강의 목록에서 바로 수강할 수 있어요.',
  PURCHASE_REFUNDED: '이 구매는 완료된 뒤 환불됐어요. 내 결제 내역을 확인해 주세요.',
  NOT_FOUND: '강의를 찾을 수 없어요. 강의 목록을 새로고침해 주세요.',
  IDEMPOTENCY_KEY_REUSED: '같은 요청 번호가 다른 요청에 이미 쓰였어요. 다시 시도해 주세요.',
  EMAIL_TAKEN: '이미 가입된 이메일이에요. 로그인해 주세요.',
  INVALID_CREDENTIALS: '이메일 또는 비밀번호가 올바르지 않아요. 다시 확인해 주세요.',
  UNAUTHORIZED: '로그인이 필요해요. 로그인한 뒤 다시 시도해 주세요.',
  FORBIDDEN: '관리자만 할 수 있어요.',
  TOSS_UNAVAILABLE: '토스페이먼츠에 연결하지 못했어요. 잠시 후 다시 시도해 주세요.',
  BALANCE_BUSY:
    '지금 잔액 변경 요청이 몰려 처리하지 못했어요. 아무것도 바뀌지 않았으니 잠시 후 다시 시도해 주세요.',
  REFUND_WINDOW_CLOSED: '구매 후 7일 안에 전액만 환불할 수 있어요. 그 밖의 환불은 고객센터로 문의해 주세요.',
  REFUND_EXCEEDS_PAYMENT: '결제 금액보다 많이 환불할 수 없어요. 남은 금액 안에서 입력해 주세요.',
  NOT_REFUNDABLE: '환불할 수 없는 주문이에요.',
  PAYMENT_IN_DOUBT: '결제 결과를 확인하고 있어요. 잠시 후 다시 시도해 주세요.',
  TOO_MANY_ATTEMPTS: '시도가 너무 많아요. 잠시 후에 다시 시도해 주세요.',
  TEST_CHARGE_DISABLED: '테스트 충전은 샌드박스 모드에서만 쓸 수 있어요. 카드로 충전해 주세요.',
  ORDER_NOT_FOUND: '주문을 찾을 수 없어요. 내 결제 내역에서 주문 번호를 확인해 주세요.',
  PAYMENT_IN_PROGRESS:
    '이 강의의 결제를 아직 확인하고 있어요. 확인이 끝나면 다시 시도해 주세요. 내 결제 내역에서 상태를 볼 수 있어요.',
  ORDER_NOT_PAYABLE: '이 주문은 결제를 기다리는 상태가 아니에요. 내 결제 내역에서 상태를 확인해 주세요.',
  AMOUNT_MISMATCH: '결제 금액이 주문 금액과 달라요. 결제를 진행하지 않았고 청구된 금액은 없어요.',
  PAYMENT_FAILED: '결제가 승인되지 않았어요. 다른 카드로 다시 시도해 주세요.',
  USER_NOT_FOUND: '이 이메일로 가입한 계정이 없어요. 이메일을 확인해 주세요.',
  OWN_WALLET_ADJUSTMENT: '자기 지갑은 조정할 수 없어요. 다른 관리자에게 요청해 주세요.',
  COURSE_RETIRED: '판매가 종료된 강의예요. 구매할 수 없어요.',
  ALERT_NOT_FOUND: '알림을 찾을 수 없어요.',
  ALERT_ALREADY_ACKNOWLEDGED: '이미 확인 처리된 알림이에요.',
  ALERT_ALREADY_RESOLVED: '이미 해결 처리된 알림이에요.',
  SIGNATURE_INVALID: '요청 서명이 올바르지 않아요. 서명 문자열과 비밀 키를 확인해 주세요.',
  SIGNATURE_EXPIRED: '요청 시각이 서버 시각과 300초 넘게 달라요. 다시 서명해 보내 주세요.',
  NONCE_REUSED: '이미 쓰인 일회용 값으로 서명한 요청이에요. 요청마다 새 일회용 값으로 서명해 주세요.',
  SERVICE_KEY_UNKNOWN: '등록되지 않은 서비스 키예요.',
  SERVICE_KEY_REVOKED: '폐기된 서비스 키예요. 새 키를 발급받아 주세요.',
  SCOPE_MISSING: '이 서비스 키에는 이 작업을 할 권한이 없어요. 필요한 권한이 있는 키로 보내 주세요.',
  SERVICE_SIGNATURE_REQUIRED: '서비스 키로 서명한 요청만 쓸 수 있어요.',
  SERVICE_KEY_NOT_ACCEPTED: '서비스 키로는 학습자나 관리자 기능을 쓸 수 없어요.',
  WEBHOOK_ENDPOINT_NOT_FOUND: '웹훅 엔드포인트를 찾을 수 없어요.',
  WEBHOOK_ENDPOINT_DISABLED: '중지된 웹훅 엔드포인트예요.',
  WALLET_PART_TOO_LARGE: '잔액으로 낼 금액이 강의 가격보다 많아요. 가격 이하로 정해 주세요.',
  USE_BALANCE_PAYMENT: '잔액으로 전부 낼 수 있어요. 카드 없이 잔액 결제로 구매해 주세요.',
  CARD_PART_TOO_SMALL: '카드로 낼 금액은 100원 이상이어야 해요. 잔액 사용 금액을 조정해 주세요.',
  COMPOSITE_UNAVAILABLE: '지금은 잔액과 카드를 함께 쓸 수 없어요. 잔액이나 카드 한 가지로 결제해 주세요.',
  WEBHOOK_ENDPOINT_LIMIT:
    '이 서비스 키의 웹훅 엔드포인트가 이미 10개예요. 하나를 중지한 뒤 다시 만들어 주세요.',
  WEBHOOK_URL_REFUSED:
    '엔드포인트 주소는 인터넷에 공개된 보안 주소여야 해요. (보안 연결이 아닌 주소는 샌드박스에서만 쓸 수 있어요.)',
  EVENT_NOT_FOUND: '이벤트를 찾을 수 없어요.',
  SEALING_KEY_MISSING: '서버에 비밀 보관용 암호화 키가 설정되지 않았어요. 운영자에게 알려 주세요.',
  CHECKOUT_LINK_INVALID:
    '결제 링크가 올바르지 않아요. 링크가 바뀌었거나 잘렸을 수 있어요. 링크를 보낸 곳에서 다시 받아 주세요.',
  CHECKOUT_LINK_EXPIRED: '결제 링크가 만료됐어요. 링크를 보낸 곳에서 새 링크를 받아 주세요.',
  CHECKOUT_LINK_OTHER_ACCOUNT: '다른 계정용 결제 링크예요. 링크를 받은 계정으로 로그인해 주세요.',
  CHECKOUT_LINK_PRICE_CHANGED:
    '링크의 결제 금액이 지금 강의 가격과 달라요. 링크를 보낸 곳에서 새 링크를 받아 주세요.',
  CHECKOUT_LINK_REUSED: '이 결제 링크의 주문 번호는 다른 주문에 이미 쓰였어요. 링크를 보낸 곳에 알려 주세요.',
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
      return `시도가 너무 많아요. ${Math.ceil(seconds / 60)}분 후에 다시 시도해 주세요.`;
    }
    if (reason && isKnownReason(reason)) return REASON_MESSAGES[reason];
    if (reason === 'INVALID_INPUT') {
      const issues = (error.data as { issues?: { messageKo?: string }[] } | undefined)?.issues ?? [];
      const sentences = [...new Set(issues.map((issue) => issue.messageKo).filter(Boolean))];
      return sentences.length > 0 ? sentences.join(' ') : '입력값을 확인해 주세요.';
    }
  }
  return '일시적인 오류가 생겼어요. 잠시 후 다시 시도해 주세요.';
}

/** The input fields a refusal names (INVALID_INPUT's issue paths), to mark them and tie the message to them. */
export function invalidFields(error: unknown): Set<string> {
  if (!(error instanceof TRPCClientError)) return new Set();
  const data = error.data as { reason?: string; issues?: { path?: string }[] } | undefined;
  if (data?.reason !== 'INVALID_INPUT') return new Set();
  return new Set((data.issues ?? []).map((issue) => issue.path?.split('.')[0] ?? '').filter(Boolean));
}

/** True when the server gave a definite answer, so a retry is a new intent with a new requestId. */
export function isDefiniteAnswer(error: unknown): boolean {
  return (
    error instanceof TRPCClientError &&
    typeof error.data?.httpStatus === 'number' &&
    error.data.httpStatus < 500
  );
}
