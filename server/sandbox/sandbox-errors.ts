/** Toss's error codes the sandbox can answer with, and the HTTP status Toss uses for each. */
const STATUS_BY_CODE: Record<string, number> = {
  ALREADY_PROCESSED_PAYMENT: 400,
  PROVIDER_ERROR: 400,
  INVALID_REQUEST: 400,
  INVALID_API_KEY: 400,
  INVALID_REJECT_CARD: 400,
  BELOW_MINIMUM_AMOUNT: 400,
  INVALID_CARD_EXPIRATION: 400,
  INVALID_STOPPED_CARD: 400,
  INVALID_CARD_NUMBER: 400,
  INVALID_CARD_LOST_OR_STOLEN: 400,
  EXCEED_MAX_PAYMENT_AMOUNT: 400,
  INCORRECT_BASIC_AUTH_FORMAT: 400,
  INVALID_IDEMPOTENCY_KEY: 400,
  ALREADY_CANCELED_PAYMENT: 400,
  UNAUTHORIZED_KEY: 401,
  REJECT_ACCOUNT_PAYMENT: 403,
  REJECT_CARD_PAYMENT: 403,
  REJECT_CARD_COMPANY: 403,
  FORBIDDEN_REQUEST: 403,
  EXCEED_MAX_AUTH_COUNT: 403,
  FDS_ERROR: 403,
  NOT_CANCELABLE_AMOUNT: 403,
  NOT_CANCELABLE_PAYMENT: 403,
  FORBIDDEN_CONSECUTIVE_REQUEST: 403,
  NOT_FOUND_PAYMENT: 404,
  NOT_FOUND_PAYMENT_SESSION: 404,
  NOT_FOUND: 404,
  IDEMPOTENT_REQUEST_PROCESSING: 409,
  CARD_PROCESSING_ERROR: 500,
  FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING: 500,
  FAILED_INTERNAL_SYSTEM_PROCESSING: 500,
  UNKNOWN_PAYMENT_ERROR: 500,
  COMMON_ERROR: 500,
};

const MESSAGES: Record<string, string> = {
  ALREADY_PROCESSED_PAYMENT: '이미 처리된 결제 입니다.',
  INVALID_REQUEST: '잘못된 요청입니다.',
  UNAUTHORIZED_KEY: '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.',
  INCORRECT_BASIC_AUTH_FORMAT: '잘못된 요청입니다. ":" 를 포함해 인코딩해주세요.',
  INVALID_IDEMPOTENCY_KEY: '멱등키는 300자 이하여야 합니다.',
  IDEMPOTENT_REQUEST_PROCESSING: '이전 멱등 요청이 처리중입니다.',
  NOT_FOUND_PAYMENT: '존재하지 않는 결제 정보 입니다.',
  NOT_FOUND_PAYMENT_SESSION: '결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.',
  REJECT_CARD_PAYMENT: '한도초과 혹은 잔액부족으로 결제에 실패했습니다.',
  REJECT_CARD_COMPANY: '결제 승인이 거절되었습니다.',
  ALREADY_CANCELED_PAYMENT: '이미 취소된 결제 입니다.',
  NOT_CANCELABLE_AMOUNT: '취소 할 수 없는 금액 입니다.',
  NOT_CANCELABLE_PAYMENT: '취소 할 수 없는 결제 입니다.',
  FAILED_INTERNAL_SYSTEM_PROCESSING: '내부 시스템 처리 작업이 실패했습니다. 잠시 후 다시 시도해주세요.',
  FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING: '결제가 완료되지 않았어요. 다시 시도해주세요.',
  PROVIDER_ERROR: '일시적인 오류가 발생했습니다. 잠시 후 다시 시도해주세요.',
};

export function tossStatusOf(code: string): number {
  return STATUS_BY_CODE[code] ?? 400;
}

export function tossError(code: string, message?: string, status?: number): Response {
  return Response.json(
    { code, message: message ?? MESSAGES[code] ?? code },
    { status: status ?? tossStatusOf(code) },
  );
}
