'use client';

/** "더 보기" under a paged list (an infinite query): shown while there is a next page. */
export function LoadMore({
  query,
}: {
  query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
}) {
  if (!query.hasNextPage) return null;
  return (
    <p>
      <button
        type="button"
        className="secondary"
        onClick={() => query.fetchNextPage()}
        disabled={query.isFetchingNextPage}
      >
        더 보기
      </button>
    </p>
  );
}
