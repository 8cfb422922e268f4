import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` type-checks the whole tree (tsc --noEmit); `npm start` should not repeat it on every build.
  typescript: { ignoreBuildErrors: true },
  // unauthorized(): an invalid share link answers 401 and says nothing more.
  experimental: { authInterrupts: true },
  // Native addons and the database drivers stay outside the bundle and load from node_modules.
  serverExternalPackages: [
    'better-sqlite3',
    '@node-rs/argon2',
    'pg',
    'pino',
    '@prisma/adapter-better-sqlite3',
    '@prisma/adapter-pg',
    '@prisma/client',
    '@vigil/prisma-sqlite',
    '@vigil/prisma-postgres',
  ],
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
