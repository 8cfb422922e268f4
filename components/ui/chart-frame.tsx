'use client';

import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';
import { cn } from './cn';

/**
 * The box a chart fills. Recharts sizes its SVG in pixels from a ResizeObserver, so for the frames
 * between a narrowing of the window and that observer's re-render the SVG keeps its old width; a
 * chart 800 px wide on a desktop would widen a phone's page for that moment. The clip keeps the
 * page's width the window's, whatever the chart's stale size.
 */
export function ChartFrame({ className, children, ...data }: { className: string; children: ReactElement } & { [key: `data-${string}`]: string | number }) {
  return (
    <div className={cn('w-full min-w-0 overflow-hidden', className)} {...data}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </div>
  );
}
