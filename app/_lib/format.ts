export function won(amount: number): string {
  return `${amount.toLocaleString('ko-KR')}원`;
}

export function dateTime(value: Date): string {
  return value.toLocaleString('ko-KR', { dateStyle: 'medium', timeStyle: 'short' });
}
