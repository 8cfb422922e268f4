import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { headers } from 'next/headers';
import { NONCE_HEADER } from '@/lib/security/content-security-policy';
import { StrictCspRuntime } from '@/components/shell/strict-csp-runtime';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Vigil', template: '%s · Vigil' },
  description: 'Defense & Healing console',
  icons: { icon: '/favicon.svg' },
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f4f6f8' },
    { media: '(prefers-color-scheme: dark)', color: '#0b0f14' },
  ],
};

/** Runs before paint so the page never flashes the wrong theme. */
const THEME_SCRIPT = `try{var t=localStorage.getItem('vigil-theme');var d=t?t==='dark':matchMedia('(prefers-color-scheme: dark)').matches;document.documentElement.classList.toggle('dark',d)}catch(e){}`;

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request with its own nonce, or the policy would block its scripts.
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen">
        <StrictCspRuntime />
        {children}
      </body>
    </html>
  );
}
