import { describe, expect, it } from 'vitest';
import { ComposeInterpolationError } from './errors.ts';
import { envLookup, interpolateDocument, interpolateString } from './interpolate.ts';

const lookup = envLookup({ SET: 'value', EMPTY: '', NUM: '3' }, { SET: 'from-dotenv', DOTENV: 'dot' });
const at = { file: 'f.yml', path: 'services.web.image' };
const run = (s: string) => interpolateString(s, lookup, at);

describe('interpolateString', () => {
  it.each([
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['pre-${SET}-post', 'pre-value-post'],
    ['$SET$SET', 'valuevalue'],
    ['${UNSET}', ''],
    ['$UNSET', ''],
    ['${UNSET:-dflt}', 'dflt'],
    ['${UNSET-dflt}', 'dflt'],
    ['${EMPTY:-dflt}', 'dflt'],
    ['${EMPTY-dflt}', ''],
    ['${SET:-dflt}', 'value'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET:-${SET}}', 'value'],
    ['${UNSET:-a ${NUM} b}', 'a 3 b'],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['cost: $$5', 'cost: $5'],
    ['${DOTENV}', 'dot'],
    ['no dollars', 'no dollars'],
    ['{{.Node.Hostname}}', '{{.Node.Hostname}}'],
    ['${SET?msg}', 'value'],
    ['${EMPTY?msg}', ''],
  ])('%s → %s', (input, expected) => {
    expect(run(input)).toBe(expected);
  });

  it('shell environment wins over .env', () => {
    expect(run('${SET}')).toBe('value');
  });

  it.each([
    ['${UNSET:?need it}', 'required variable UNSET is missing a value: need it'],
    ['${UNSET?need it}', 'required variable UNSET is missing a value: need it'],
    ['${EMPTY:?empty too}', 'required variable EMPTY is missing a value: empty too'],
  ])('%s fails with docker wording', (input, problem) => {
    const error = catchError(() => run(input));
    expect(error).toBeInstanceOf(ComposeInterpolationError);
    expect(error).toMatchObject({ file: 'f.yml', path: 'services.web.image', problem });
    expect(error.message).toBe(`f.yml: services.web.image: ${problem}`);
  });

  it.each(['${', '${SET', '$ {SET}', '${-x}', '${SET:x}', '$1'])('rejects malformed %s', (input) => {
    const error = catchError(() => run(input));
    expect(error).toBeInstanceOf(ComposeInterpolationError);
    expect(error.message).toContain(
      `invalid interpolation format for services.web.image: "${input}". You may need to escape any $ with another $.`,
    );
  });
});

describe('interpolateDocument', () => {
  it('interpolates values at every depth, not keys, and skips top-level x- fields', () => {
    const doc = {
      'x-template': { image: '${UNSET:?not needed here}' },
      services: { $SET: { image: 'img:${NUM}', command: ['a', '$SET'], deploy: { replicas: 2 } } },
    };
    expect(interpolateDocument(doc, lookup, 'f.yml')).toEqual({
      'x-template': { image: '${UNSET:?not needed here}' },
      services: { $SET: { image: 'img:3', command: ['a', 'value'], deploy: { replicas: 2 } } },
    });
  });

  it('names the path of a failing value', () => {
    const doc = { services: { web: { environment: ['A=${NOPE:?set NOPE}'] } } };
    expect(() => interpolateDocument(doc, lookup, 'f.yml')).toThrow(
      'f.yml: services.web.environment.0: required variable NOPE is missing a value: set NOPE',
    );
  });
});

function catchError(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}
