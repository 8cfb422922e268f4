import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { LoginForm } from '@/components/auth/login-form';
import { sameOriginPath } from '@/lib/auth/return-path';
import { currentSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  // Only the path survives, so the Host the request named cannot send anyone elsewhere.
  if (await currentSession()) redirect(sameOriginPath(next, `http://${(await headers()).get('host') ?? 'localhost'}`));
  return (
    <AuthCard title="Sign in">
      <LoginForm next={next ?? null} />
    </AuthCard>
  );
}
