import type { z } from 'zod';
import type {
  CardView,
  OrderView,
  refundOutput,
  TimelineEvent,
} from '@/server/building-blocks/schemas/order.schemas';
import { won } from './format';

/** Orders, payments and refunds in the learner's words (내 결제 내역, the order page, the result pages). */

type OrderStatus = OrderView['status'];
type Refund = z.infer<typeof refundOutput>;

/** One label per status; a new status without one fails the type check. */
export const ORDER_STATUS_LABEL = {
  CREATED: '결제 대기',
  CONFIRMING: '확인 중',
  IN_DOUBT: '확인 중',
  APPROVED: '결제 완료',
  CANCEL_PENDING: '취소 중',
  FAILED: '실패',
  CANCELED: '환불 완료',
  PARTIALLY_CANCELED: '부분 환불',
} satisfies Record<OrderStatus, string>;

/** The status in words; a CANCELED order nothing was refunded from was cancelled before delivery. */
export function orderStatusLabel(order: Pick<OrderView, 'status' | 'refundedAmount'>): string {
  if (order.status === 'CANCELED' && order.refundedAmount === 0) return '취소';
  return ORDER_STATUS_LABEL[order.status];
}

/** Toss's card company codes (issuerCode) as Toss's documentation names them. */
const CARD_COMPANIES: Record<string, string> = {
  '3K': '기업BC',
  '46': '광주은행',
  '71': '롯데카드',
  '30': 'KDB산업은행',
  '31': 'BC카드',
  '51': '삼성카드',
  '38': '새마을금고',
  '41': '신한카드',
  '62': '신협',
  '36': '씨티카드',
  '33': '우리BC카드',
  W1: '우리카드',
  '37': '우체국예금보험',
  '39': '저축은행중앙회',
  '35': '전북은행',
  '42': '제주은행',
  '15': '카카오뱅크',
  '3A': '케이뱅크',
  '24': '토스뱅크',
  '21': '하나카드',
  '61': '현대카드',
  '11': 'KB국민카드',
  '91': 'NH농협카드',
  '34': 'Sh수협은행',
};

/** "카드 · 롯데카드 ····000*", as much as Toss told; "잔액" for a balance payment; "—" when unpaid. */
export function methodLabel(
  order: Pick<OrderView, 'method'> & { walletAmount?: number; card?: CardView | null },
): string {
  if (order.method === 'BALANCE') return '잔액';
  if (order.method !== 'CARD') return '—';
  const card = order.card;
  const company = card?.company ?? (card?.issuerCode ? CARD_COMPANIES[card.issuerCode] : undefined);
  const digits = card?.number ? `····${card.number.slice(-4)}` : undefined;
  const cardLabel = ['카드', [company, digits].filter(Boolean).join(' ')].filter(Boolean).join(' · ');
  return (order.walletAmount ?? 0) > 0 ? `잔액 + ${cardLabel}` : cardLabel;
}

export const REFUND_STATUS_LABEL = {
  REQUESTED: '환불 요청됨',
  DONE: '환불 완료',
  FAILED: '환불 실패',
  IN_DOUBT: '환불 확인 중',
} satisfies Record<Refund['status'], string>;

function refundDestination(refund: Refund): string {
  if (refund.destination === 'CARD') return '카드로';
  if (refund.destination === 'WALLET') return '지갑 잔액으로';
  return '계좌 이체로';
}

const REQUESTER = {
  LEARNER: '내가 요청한',
  OPERATOR: '운영자가 처리한',
  TOSS: '토스페이먼츠에서 처리된',
} as const;

/** One line of the order page's timeline. */
export function timelineText(event: TimelineEvent): string {
  switch (event.kind) {
    case 'CREATED':
      return '주문을 만들었어요';
    case 'CONFIRM_SENT': {
      const sent = `토스페이먼츠에 결제 승인을 요청했어요 (${event.attempt ?? 1}번째)`;
      if (event.outcome === 'OK') return `${sent} · 승인 응답을 받았어요`;
      if (event.outcome === 'REFUSED') return `${sent} · 거절되었어요 (${event.code ?? '오류'})`;
      if (event.outcome === 'NO_ANSWER') return `${sent} · 응답을 받지 못했어요`;
      return `${sent} · 응답을 기다리고 있어요`;
    }
    case 'IN_DOUBT':
      return '결제 결과를 확인하고 있어요. 확인되지 않은 결제는 청구되지 않아요';
    case 'CHECKED_WITH_TOSS':
      return event.outcome === 'OK'
        ? '토스페이먼츠에 결제 상태를 다시 확인했어요'
        : '토스페이먼츠에 결제 상태를 물었지만 답을 받지 못했어요';
    case 'APPROVED':
      return '결제가 완료되었어요';
    case 'FAILED':
      return `결제가 이루어지지 않았어요${event.code ? ` (${event.code})` : ''}`;
    case 'AUTO_CANCEL_SENT':
      return '전달할 수 없는 결제라 토스페이먼츠에 자동 취소를 요청했어요';
    case 'REFUND': {
      const refund = event.refund;
      if (!refund) return '환불';
      return `${REQUESTER[refund.requestedBy]} 환불 ${won(refund.amount)} · ${refundDestination(refund)} · ${REFUND_STATUS_LABEL[refund.status]}`;
    }
  }
}

/**
 * What became of an order, in one honest sentence pair, for every status it can reach: the result
 * pages (/success, /fail) and the order page say the same.
 */
export function orderOutcome(
  order: Pick<OrderView, 'type' | 'status' | 'amount' | 'orderName' | 'refundedAmount' | 'failureCode'>,
): { title: string; text: string; tone: 'ok' | 'pending' | 'bad' | 'neutral' } {
  const what = order.type === 'COURSE' ? `'${order.orderName}'` : `지갑 충전 ${won(order.amount)}`;
  switch (order.status) {
    case 'APPROVED':
      return {
        title: '결제가 완료되었어요',
        text:
          order.type === 'COURSE'
            ? `${what} 수강을 시작할 수 있어요.`
            : `지갑에 ${won(order.amount)}이 충전되었어요.`,
        tone: 'ok',
      };
    case 'CREATED':
      return {
        title: '아직 결제하지 않았어요',
        text: `${what} 주문은 결제를 기다리고 있어요.`,
        tone: 'neutral',
      };
    case 'CONFIRMING':
    case 'IN_DOUBT':
      return {
        title: '결제를 확인하고 있어요',
        text: '토스페이먼츠의 응답을 기다리고 있어요. 확인되면 자동으로 반영되고, 확인되지 않은 결제는 청구되지 않아요.',
        tone: 'pending',
      };
    case 'FAILED':
      return { title: '결제가 이루어지지 않았어요', text: '청구된 금액은 없어요.', tone: 'bad' };
    case 'CANCEL_PENDING':
      return {
        title: '결제를 취소하고 있어요',
        text:
          order.type === 'CHARGE'
            ? '충전하면 잔액 한도(100,000원)를 넘게 되어 카드 결제를 자동으로 취소하고 있어요.'
            : '이미 수강 중인 강의라 카드 결제를 자동으로 취소하고 있어요.',
        tone: 'pending',
      };
    case 'CANCELED':
      if (order.refundedAmount > 0) {
        return {
          title: '환불되었어요',
          text: `${what} 결제 ${won(order.refundedAmount)}을 환불했어요.`,
          tone: 'neutral',
        };
      }
      return {
        title: '결제를 취소했어요',
        text:
          order.type === 'CHARGE'
            ? '충전하면 잔액 한도(100,000원)를 넘게 되어 카드 결제를 자동으로 취소했어요. 청구된 금액은 없어요.'
            : '이미 수강 중인 강의라 카드 결제를 자동으로 취소했어요. 청구된 금액은 없어요.',
        tone: 'neutral',
      };
    case 'PARTIALLY_CANCELED':
      return {
        title: '일부 환불되었어요',
        text: `${what} 결제 ${won(order.amount)} 중 ${won(order.refundedAmount)}을 환불했어요.`,
        tone: 'neutral',
      };
  }
}
