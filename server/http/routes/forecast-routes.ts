import { z } from 'zod';
import { applyMitigationRequestSchema, decideSuggestionRequestSchema, suggestionIdSchema } from '@/lib/forecast/forecast-api';
import { GovernorError, type Forecaster } from '../../forecast';
import { HealingError } from '../../healing';
import { RecoveryError } from '../../recovery';
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
export function registerForecastRoutes(router: Router, deps: { forecaster: Forecaster }): void {
  const { forecaster } = deps;
  router.add({ method: 'GET', path: '/api/v1/risk', auth: 'forecast:read', handler: async (ctx) => {
    sendJson(ctx.res, 200, forecaster.risk());
  } });
  router.add({ method: 'GET', path: '/api/v1/predictions', auth: 'forecast:read', handler: async (ctx) => {
    sendJson(ctx.res, 200, forecaster.predictions());
  } });

  router.add({ method: 'GET', path: '/internal/v1/forecast', auth: 'internal', handler: (ctx) => answer(ctx, () => forecaster.overview()) });
  router.add({ method: 'POST', path: '/internal/v1/forecast/mitigations', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(applyMitigationRequestSchema.extend({ actor }));
    await answer(ctx, () => forecaster.applyMitigation(body));
  } });
  router.add({ method: 'GET', path: '/internal/v1/forecast/governor', auth: 'internal', handler: (ctx) => answer(ctx, () => ({ suggestions: forecaster.governor.list(), policy: forecaster.policy() })) });
  router.add({ method: 'POST', path: '/internal/v1/forecast/governor/:id', auth: 'internal', handler: async (ctx) => {
    const id = suggestionIdSchema.safeParse(ctx.params.id);
    if (!id.success) throw new HttpError(422, 'invalid_request', 'suggestion id is invalid');
    const body = await ctx.json(decideSuggestionRequestSchema.extend({ actor }));
    await answer(ctx, () => forecaster.governor.decide(id.data, body.decision, body.actor));
  } });
}
