import type { Metadata } from 'next';
import { WebhookConsole } from '../../_components/admin/webhook-console';

export const metadata: Metadata = { title: '관리자: 웹훅 · 강의 결제' };

export default function AdminWebhooksPage() {
  return (
    <>
      <h1>관리자: 웹훅</h1>
      <WebhookConsole />
    </>
  );
}
