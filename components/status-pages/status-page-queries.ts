import type { StatusPageDefinition } from '@/lib/status-pages/status-page-schema';
import type { PublicPost } from '@/lib/status-pages/status-view';

export interface StatusPageListing {
  page: StatusPageDefinition;
  source: 'config' | 'console';
}

export interface StatusPosts {
  active: PublicPost[];
  upcoming: PublicPost[];
  past: PublicPost[];
}

export const statusPageKeys = {
  list: () => ['status-pages', {}] as const,
  posts: (slug: string) => ['status-page-posts', { slug }] as const,
};
