import { z } from 'zod';
import { applyMitigationRequestSchema, decideSuggestionRequestSchema } from '@/lib/forecast/forecast-api';
import type { ForecastOverview, GovernorView, RiskHistoryView, RiskResponse } from '@/lib/forecast/forecast-views';
import { suggestionSchema } from '@/lib/forecast/governor-rules';
import { MITIGATION_ACTIONS, type Prediction, type SubsystemDetail, type SubsystemRisk } from '@/lib/forecast/risk';
import { defineRoute } from './route-contract';
import { isoTime, record, view } from './wire';

const actor = z.string().min(1).max(200);

const predictionSchema = record<Prediction>({ subsystem: z.string() });
const riskSchema = view<RiskResponse>({ at: isoTime.nullable(), subsystems: z.array(record<SubsystemRisk>({ id: z.string(), risk: z.number() })) });
const overviewSchema = view<ForecastOverview>({
  at: isoTime.nullable(),
  cycleSeconds: z.number(),
  subsystems: z.array(record<SubsystemDetail>({ id: z.string(), risk: z.number() })),
  predictions: z.array(predictionSchema),
  history: record<RiskHistoryView>(),
});
const governorSchema = view<GovernorView>({ suggestions: z.array(suggestionSchema), policy: z.array(z.string()) });

/** Risk and predictions for machines, and the heatmap, mitigations and governor for the web app. */
export const forecastContracts = {
  risk: defineRoute({ method: 'GET', path: '/api/v1/risk', auth: 'forecast:read', tag: 'Machine', summary: 'Per-subsystem risk', response: riskSchema }),
  predictions: defineRoute({
    method: 'GET',
    path: '/api/v1/predictions',
    auth: 'forecast:read',
    tag: 'Machine',
    summary: 'Fault predictions',
    response: z.object({ at: isoTime.nullable(), predictions: z.array(predictionSchema) }),
  }),
  overview: defineRoute({
    method: 'GET',
    path: '/internal/v1/forecast',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Per-subsystem risk, predictions and history',
    response: overviewSchema,
  }),
  applyMitigation: defineRoute({
    method: 'POST',
    path: '/internal/v1/forecast/mitigations',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Apply a mitigation',
    body: applyMitigationRequestSchema.extend({ actor }),
    response: z.object({ applied: z.enum(MITIGATION_ACTIONS), subsystem: z.string() }),
  }),
  governor: defineRoute({
    method: 'GET',
    path: '/internal/v1/forecast/governor',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Tuning suggestions and the policy they follow',
    response: governorSchema,
  }),
  decideSuggestion: defineRoute({
    method: 'POST',
    path: '/internal/v1/forecast/governor/:id',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Apply or dismiss a tuning suggestion',
    body: decideSuggestionRequestSchema.extend({ actor }),
    response: suggestionSchema,
  }),
};
