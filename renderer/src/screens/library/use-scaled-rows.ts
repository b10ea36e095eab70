/**
 * The file table's virtualization: which rows to draw and where, over a scroll height that is
 * scaled when the list is taller than a browser allows (scroll-scale.ts). A row-windowing
 * library places rows at their real pixel offsets, which past ~1M rows no element can hold.
 */
import { useLayoutEffect, useState } from 'react';
import { offsetForRow, scrollScale, toPhysicalOffset, toVirtualOffset, visibleRows, type VisibleRows } from './scroll-scale';

export interface ScaledRows {
  /** Rows to draw (with overscan), null when the list is empty. */
  rows: VisibleRows | null;
  /** Height of the scrolling content, header included (at most the cap). */
  contentHeight: number;
  scrollToIndex: (index: number, align: 'auto' | 'center') => void;
}

export function useScaledRows(el: HTMLElement | null, count: number, rowHeight: number, header: number, overscan: number): ScaledRows {
  const [pos, setPos] = useState({ top: 0, viewport: 0 });
  useLayoutEffect(() => {
    if (!el) return;
    const read = (): void => setPos((p) => (p.top === el.scrollTop && p.viewport === el.clientHeight ? p : { top: el.scrollTop, viewport: el.clientHeight }));
    read();
    el.addEventListener('scroll', read, { passive: true });
    const resize = new ResizeObserver(read);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', read);
      resize.disconnect();
    };
  }, [el]);
  const height = header + count * rowHeight;
  const scale = scrollScale(height, pos.viewport);
  return {
    rows: visibleRows(scale, pos.top, count, rowHeight, header, overscan),
    contentHeight: scale.physicalHeight,
    scrollToIndex: (index, align) => {
      if (!el || count <= 0) return;
      // Read the element now: a key repeat may scroll again before React re-renders.
      const now = scrollScale(height, el.clientHeight);
      const target = offsetForRow(now, toVirtualOffset(now, el.scrollTop), Math.max(0, Math.min(count - 1, index)), rowHeight, header, align);
      if (target !== null) el.scrollTop = toPhysicalOffset(now, target);
    },
  };
}
