/** The width of an element, following resizes (the library lays out its panel by it). */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

export function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  const observed = useRef<{ el: HTMLElement; observer: ResizeObserver } | null>(null);
  // Checked after every render (the element may mount later, e.g. once the table has rows), but
  // it reads clientWidth and observes only when the element changed: done on every render, that
  // read forced a layout of the whole table (and made a new observer) on each scroll step.
  useLayoutEffect(() => {
    const el = ref.current;
    if (observed.current?.el === el) return;
    observed.current?.observer.disconnect();
    observed.current = null;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width));
    observer.observe(el);
    observed.current = { el, observer };
  });
  useLayoutEffect(
    () => () => {
      observed.current?.observer.disconnect();
      observed.current = null;
    },
    [],
  );
  return width;
}
