import type { Metadata } from 'next';
import Link from 'next/link';
import { AuthCard } from '@/components/auth/auth-card';
import { SetupForm } from '@/components/auth/setup-form';
import { isSetupTokenValid } from '@/server/auth/first-admin';
import { MIN_PASSWORD_LENGTH } from '@/server/auth/passwords';
import { countAdmins } from '@/server/queries/users';
import { getWebContext } from '@/app/_lib/web-context';

export const metadata: Metadata = { title: 'First set-up' };
export const dynamic = 'force-dynamic';

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const web = await getWebContext();
  if ((await countAdmins(web.database.prisma)) > 0) {
    return (
      <AuthCard title="Already set up" subtitle="An administrator exists.">
        <Link href="/login" className="text-sm text-accent underline">
          Go to sign-in
        </Link>
      </AuthCard>
    );
  }
  if (!token || !(await isSetupTokenValid(web.database.prisma, token))) {
    return (
      <AuthCard title="This set-up link is not valid" subtitle="It may have expired or been replaced.">
        <p className="text-sm text-muted">
          Restart Vigil (npm start) to print a new one-time link, or set VIGIL_ADMIN_PASSWORD to create the administrator unattended.
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Create the first administrator" subtitle="This one-time link stops working once the account exists.">
      <SetupForm token={token} minPasswordLength={MIN_PASSWORD_LENGTH} />
    </AuthCard>
  );
}
