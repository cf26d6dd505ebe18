/** Validation of incoming request envelopes and parameters at the boundary. */
import { z } from 'zod';
import { requestSchemas, type Method, type Params } from './contract.js';

const envelopeSchema = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(128),
  params: z.unknown().optional(),
});

export type ValidatedRequest = { [M in Method]: { id: number; method: M; params: Params<M> } }[Method];

export type ValidationResult =
  { ok: true; request: ValidatedRequest } | { ok: false; id: number | null; code: 'bad-request' | 'unknown-method'; message: string };

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(message)'}: ${i.message}`).join('; ');
}

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(requestSchemas, name);
}

/** Checks the envelope, the method name and the parameters of a decoded message. */
export function validateRequest(message: unknown): ValidationResult {
  const env = envelopeSchema.safeParse(message);
  if (!env.success) {
    const id = message && typeof message === 'object' && typeof (message as { id?: unknown }).id === 'number' ? (message as { id: number }).id : null;
    return { ok: false, id, code: 'bad-request', message: `malformed request envelope: ${describe(env.error)}` };
  }
  const { id, method } = env.data;
  if (!isMethod(method)) {
    return { ok: false, id, code: 'unknown-method', message: `unknown method "${method}"` };
  }
  const params = requestSchemas[method].safeParse(env.data.params ?? {});
  if (!params.success) {
    return { ok: false, id, code: 'bad-request', message: `invalid parameters for ${method}: ${describe(params.error)}` };
  }
  return { ok: true, request: { id, method, params: params.data } as ValidatedRequest };
}
