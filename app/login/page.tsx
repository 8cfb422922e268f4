import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth/auth-card';
import { LoginForm } from '@/components/auth/login-form';
import { currentSession } from '@/app/_lib/session';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await currentSession()) redirect('/');
  const { next } = await searchParams;
  return (
    <AuthCard title="Sign in">
      <LoginForm next={next ?? null} />
    </AuthCard>
  );
}
