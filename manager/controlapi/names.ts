/** Names for services created without one, in Docker's `adjective_surname` style. */
import { randomInt } from 'node:crypto';

const ADJECTIVES = [
  'brave',
  'calm',
  'eager',
  'gentle',
  'happy',
  'jolly',
  'keen',
  'lucid',
  'nimble',
  'quiet',
  'sharp',
  'witty',
];
const SURNAMES = [
  'hopper',
  'lovelace',
  'turing',
  'noether',
  'curie',
  'knuth',
  'ritchie',
  'lamport',
  'liskov',
  'dijkstra',
];

/** A random `adjective_surname`, valid as a service name. */
export function randomName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)] ?? 'calm'}_${SURNAMES[randomInt(SURNAMES.length)] ?? 'turing'}`;
}
