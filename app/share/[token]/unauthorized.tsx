import { AuthCard } from '@/components/auth/auth-card';

export default function ShareUnauthorized() {
  return (
    <AuthCard title="This link is not valid" subtitle="It may have expired or been revoked.">
      <p className="text-sm text-muted">Ask whoever sent it for a new one.</p>
    </AuthCard>
  );
}
