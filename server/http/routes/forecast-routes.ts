import { AppError } from '@/lib/errors';
import { suggestionIdSchema } from '@/lib/forecast/forecast-api';
import { HttpError } from '@/lib/http-error';
import { forecastContracts } from '../../contracts';
import type { Forecaster } from '../../forecast';
import { RecoveryError } from '../../recovery';
import { HealingError } from '../../healing';
import type { Router } from '../router';

/**
 * A mitigation runs in another capability (recovery, healing); a refusal there is the
 * mitigation's refusal, said as such with the other capability's reason.
 */
async function refusedAsMitigation<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HealingError || error instanceof RecoveryError) throw new AppError('action_refused', 409, error.message, { cause: error });
    throw error;
  }
}

/** Risk and predictions for machines (bearer token), and the heatmap, mitigations and governor for the web app. */
export function registerForecastRoutes(router: Router, deps: { forecaster: Forecaster }): void {
  const { forecaster } = deps;
  router.add({ ...forecastContracts.risk, handler: () => forecaster.risk() });
  router.add({ ...forecastContracts.predictions, handler: () => forecaster.predictions() });
  router.add({ ...forecastContracts.overview, handler: () => forecaster.overview() });
  router.add({ ...forecastContracts.applyMitigation, handler: ({ body }) => refusedAsMitigation(() => forecaster.applyMitigation(body)) });
  router.add({ ...forecastContracts.governor, handler: () => ({ suggestions: forecaster.governor.list(), policy: forecaster.policy() }) });
  router.add({
    ...forecastContracts.decideSuggestion,
    handler: ({ params, body }) => {
      const id = suggestionIdSchema.safeParse(params.id);
      if (!id.success) throw new HttpError(422, 'invalid_request', 'suggestion id is invalid');
      return forecaster.governor.decide(id.data, body.decision, body.actor);
    },
  });
}
