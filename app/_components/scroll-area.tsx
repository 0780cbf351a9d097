/**
 * A wide table or chart that scrolls sideways inside itself, so a 375 px page never does. It takes
 * keyboard focus, so it can be scrolled without a mouse, and is named for screen readers.
 */
export function ScrollArea({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that may scroll must be reachable by keyboard
    <section aria-label={label} tabIndex={0} style={{ overflowX: 'auto', maxWidth: '100%' }}>
      {children}
    </section>
  );
}
