import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({ ...base, testDir: '.', outputDir: '/tmp/pw-risk', testMatch: ['e2e/01-first-run.spec.ts', 'e2e/10-risk.spec.ts', 'tmp-risk-shots.spec.ts'] });
