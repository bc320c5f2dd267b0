/**
 * Validation of one interpolated compose document against the Compose Specification's JSON schema
 * (compose/schema/compose-spec.json, compiled once with ajv).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ComposeSchemaError } from './errors.ts';
import schema from './schema/compose-spec.json' with { type: 'json' };

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    compiled = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return compiled;
}

/** Throws ComposeSchemaError for the most specific schema violation in `doc`. */
export function validateComposeDocument(doc: unknown, file: string | undefined): void {
  const validate = validator();
  if (validate(doc)) return;
  const error = mostSpecific(validate.errors ?? []);
  if (!error) throw new ComposeSchemaError({ file, path: '', problem: 'does not match the compose schema' });
  const { path, problem } = describe(error);
  throw new ComposeSchemaError({ file, path, problem });
}

/** The error deepest in the document; among equals, one that is not a oneOf/anyOf summary. */
function mostSpecific(errors: readonly ErrorObject[]): ErrorObject | undefined {
  let best: ErrorObject | undefined;
  let bestScore = -1;
  for (const e of errors) {
    const depth = e.instancePath.split('/').length + (e.keyword === 'additionalProperties' ? 1 : 0);
    const score = depth * 10 + (e.keyword === 'oneOf' || e.keyword === 'anyOf' ? 0 : 1);
    if (score > bestScore) {
      best = e;
      bestScore = score;
    }
  }
  return best;
}

function describe(e: ErrorObject): { path: string; problem: string } {
  const segments = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path = segments.join('.');
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return { path, problem: `additional property ${String(params['additionalProperty'])} is not allowed` };
    case 'type':
      return { path, problem: `must be ${typeWords(params['type'])}` };
    case 'enum':
      return {
        path,
        problem: `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'required':
      return { path, problem: `missing required property ${String(params['missingProperty'])}` };
    case 'oneOf':
      return { path, problem: 'does not match any allowed form' };
    default:
      return { path, problem: e.message ?? 'is invalid' };
  }
}

function typeWords(t: unknown): string {
  const list = Array.isArray(t) ? t.map(String) : [String(t)];
  return list.map((x) => (/^[aeiou]/.test(x) ? `an ${x}` : `a ${x}`)).join(' or ');
}
