import type { core } from 'zod';

/**
 * The Korean error map of every input schema: a sentence a learner can act on, for each issue zod
 * reports ("금액은 1원 이상이어야 해요"), worked out from the issue's code, its limits and the field's
 * name. The API keeps each issue's English `message` for other services; the browser shows `messageKo`.
 */

/** What each input field is called on screen. A field missing here is called 입력값. */
export const FIELD_LABELS: Record<string, string> = {
  amount: '금액',
  email: '이메일',
  password: '비밀번호',
  name: '이름',
  requestId: '요청 번호',
  events: '이벤트 종류',
  walletAmount: '잔액 사용 금액',
  courseId: '강의',
  orderId: '주문 번호',
  paymentKey: '결제 키',
  reason: '사유',
  note: '메모',
  from: '시작일',
  to: '종료일',
  limit: '개수',
  cursor: '페이지',
  code: '코드',
  message: '메시지',
  type: '종류',
  title: '제목',
  description: '설명',
  price: '가격',
  query: '검색어',
  status: '상태',
  kind: '종류',
  state: '상태',
  alertId: '알림',
  direction: '조정 방향',
  action: '작업',
  subject: '대상',
  userId: '사용자',
  userEmail: '사용자 이메일',
  reference: '참조 번호',
  scopes: '권한',
  keyId: '키',
  overlapHours: '겹치는 시간',
  url: '주소',
  eventTypes: '이벤트 종류',
  endpointId: '엔드포인트',
  eventId: '이벤트',
  deliveryStatus: '전송 상태',
  since: '시각',
  intent: '결제 링크',
};

/** Fields counted in won: their limits read "1원", "100,000원". */
const WON_FIELDS = new Set(['amount', 'price', 'walletAmount']);

/** Whether a Korean word ends in a final consonant (받침), which picks 은/는, 을/를, 이/가. */
function endsWithConsonant(word: string): boolean {
  const last = word.charCodeAt(word.length - 1);
  if (last < 0xac00 || last > 0xd7a3) return false;
  return (last - 0xac00) % 28 !== 0;
}

const topic = (word: string) => `${word}${endsWithConsonant(word) ? '은' : '는'}`;
const object = (word: string) => `${word}${endsWithConsonant(word) ? '을' : '를'}`;

function fieldOf(path: readonly PropertyKey[]): string {
  const key = [...path].reverse().find((part) => typeof part === 'string');
  return typeof key === 'string' ? key : '';
}

function limit(field: string, value: number | bigint): string {
  const n = Number(value).toLocaleString('ko-KR');
  return WON_FIELDS.has(field) ? `${n}원` : n;
}

/** The Korean sentence for one zod issue. */
export function koreanMessage(issue: core.$ZodIssue): string {
  const field = fieldOf(issue.path);
  const label = FIELD_LABELS[field] ?? '입력값';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return `${topic(label)} 정수로 입력해 주세요.`;
      if (issue.expected === 'number') return `${topic(label)} 숫자로 입력해 주세요.`;
      return `${object(label)} 올바른 형식으로 입력해 주세요.`;
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? `${object(label)} 입력해 주세요.`
          : `${topic(label)} ${limit('', issue.minimum)}자 이상으로 입력해 주세요.`;
      }
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        return `${topic(label)} ${limit(field, issue.minimum)} ${issue.inclusive === false ? '초과여야' : '이상이어야'} 해요.`;
      }
      return `${topic(label)} 너무 적어요.`;
    case 'too_big':
      if (issue.origin === 'string')
        return `${topic(label)} ${limit('', issue.maximum)}자 이하로 입력해 주세요.`;
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        return `${topic(label)} ${limit(field, issue.maximum)} ${issue.inclusive === false ? '미만이어야' : '이하여야'} 해요.`;
      }
      return `${topic(label)} 너무 많아요.`;
    case 'invalid_format':
      if (issue.format === 'email') return '이메일 주소 형식이 올바르지 않아요.';
      if (issue.format === 'regex') return `${label}에 쓸 수 없는 문자가 있어요.`;
      return `${label} 형식이 올바르지 않아요.`;
    case 'not_multiple_of':
      return `${topic(label)} ${limit(field, Number(issue.divisor))} 단위로 입력해 주세요.`;
    case 'invalid_value':
    case 'invalid_union':
      return `${label} 값이 올바르지 않아요.`;
    case 'unrecognized_keys':
      return `알 수 없는 항목이 있어요: ${issue.keys.join(', ')}`;
    default:
      return `${label} 값이 올바르지 않아요.`;
  }
}
