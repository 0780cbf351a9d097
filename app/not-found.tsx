import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="card">
      <h1>페이지를 찾을 수 없습니다</h1>
      <p>
        <Link href="/">강의 목록으로 돌아가기</Link>
      </p>
    </section>
  );
}
