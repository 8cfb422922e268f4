import { z } from 'zod';
import { applyMitigationRequestSchema, decideSuggestionRequestSchema, suggestionIdSchema } from '@/lib/forecast/forecast-api';
import type { ApiTokenAuthenticator } from '../../auth/api-tokens';
import { GovernorError, type Forecaster } from '../../forecast';
import { HealingError } from '../../healing';
import { RecoveryError } from '../../recovery';
import { requireInternal, requireToken } from '../auth';
import { HttpError, sendJson, type RequestContext, type Router } from '../router';

const actor = z.string().min(1).max(200);

async function answer(ctx: RequestContext, work: () => Promise<unknown> | unknown): Promise<void> {
  try {
    sendJson(ctx.res, 200, await work());
  } catch (error) {
    if (error instanceof GovernorError) throw new HttpError(error.code === 'not-found' ? 404 : 409, error.code.replace('-', '_'), error.message);
    // The action ran in another capability and was refused there: say so, with its reason.
    if (error instanceof HealingError || error instanceof RecoveryError) throw new HttpError(409, 'action_refused', error.message);
    throw error;
  }
}

/** Risk and predictions for machines (bearer token), and the heatmap, mitigations and governor for the web app. */
export function registerForecastRoutes(router: Router, deps: { forecaster: Forecaster; tokens: ApiTokenAuthenticator; secret: string }): void {
  const { forecaster } = deps;
  router.add('GET', '/api/v1/risk', async (ctx) => {
    await requireToken(ctx.req, deps.tokens, 'forecast:read');
    sendJson(ctx.res, 200, forecaster.risk());
  });
  router.add('GET', '/api/v1/predictions', async (ctx) => {
    await requireToken(ctx.req, deps.tokens, 'forecast:read');
    sendJson(ctx.res, 200, forecaster.predictions());
  });

  const internal = (handler: (ctx: RequestContext) => Promise<void>) => (ctx: RequestContext) => {
    requireInternal(ctx.req, deps.secret);
    return handler(ctx);
  };
  router.add('GET', '/internal/v1/forecast', internal((ctx) => answer(ctx, () => forecaster.overview())));
  router.add('POST', '/internal/v1/forecast/mitigations', internal(async (ctx) => {
    const body = await ctx.json(applyMitigationRequestSchema.extend({ actor }));
    await answer(ctx, () => forecaster.applyMitigation(body));
  }));
  router.add('GET', '/internal/v1/forecast/governor', internal((ctx) => answer(ctx, () => ({ suggestions: forecaster.governor.list(), policy: forecaster.policy() }))));
  router.add('POST', '/internal/v1/forecast/governor/:id', internal(async (ctx) => {
    const id = suggestionIdSchema.safeParse(ctx.params.id);
    if (!id.success) throw new HttpError(422, 'invalid_request', 'suggestion id is invalid');
    const body = await ctx.json(decideSuggestionRequestSchema.extend({ actor }));
    await answer(ctx, () => forecaster.governor.decide(id.data, body.decision, body.actor));
  }));
}
