import { createApiTokenSchema } from '@/lib/auth/scopes';
import { type OperationSpec, webOperation } from './operation-spec';

const web = webOperation;

/** Signing in and out, the live socket's token, users and API tokens: who may use the console. */
export const SESSION_WEB_OPERATIONS: OperationSpec[] = [
  web({ method: 'get', path: '/api/tokens', tag: 'API tokens', summary: 'API tokens (prefix, role, scopes, last used; never the secret)', role: 'admin' }),
  web({
    method: 'post',
    path: '/api/tokens',
    tag: 'API tokens',
    summary: 'Create an API token; the secret is returned once',
    role: 'admin',
    body: ['CreateTokenRequest', createApiTokenSchema],
    success: { status: '201', description: 'The token, with its secret shown this one time' },
  }),
  web({ method: 'delete', path: '/api/tokens/{id}', tag: 'API tokens', summary: 'Revoke an API token', role: 'admin' }),
  web({ method: 'get', path: '/api/openapi.json', tag: 'Meta', summary: 'This document', auth: 'public' }),
  // Sign-in and set-up are forms (application/x-www-form-urlencoded or JSON); they answer with a session cookie.
  web({
    method: 'post',
    path: '/api/auth/login',
    tag: 'Session',
    summary: 'Sign in with user name and password (throttled per account and address)',
    auth: 'public',
  }),
  web({ method: 'post', path: '/api/auth/setup', tag: 'Session', summary: 'Create the first administrator with the one-time set-up token', auth: 'public' }),
  web({ method: 'post', path: '/api/auth/logout', tag: 'Session', summary: 'Sign out and end the session', role: 'viewer' }),
  web({ method: 'get', path: '/api/session', tag: 'Session', summary: 'Who is signed in, with role and CSRF token', role: 'viewer' }),
  web({ method: 'get', path: '/api/live-token', tag: 'Session', summary: 'A short-lived token for the live socket, bound to this session', role: 'viewer' }),
  web({ method: 'get', path: '/api/users', tag: 'Admin', summary: 'Users and their roles', role: 'admin' }),
  web({ method: 'post', path: '/api/users', tag: 'Admin', summary: 'Add a user with a role', role: 'admin' }),
  web({ method: 'patch', path: '/api/users/{id}', tag: 'Admin', summary: "Change a user's role, password or disable them", role: 'admin' }),
];
