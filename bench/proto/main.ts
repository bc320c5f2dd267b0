/**
 * bench/proto: the cost of Shoal's wire model on the path every API call takes — Docker JSON → proto
 * object → protobuf binary → proto object → Docker JSON — for the largest request the docker CLI sends
 * (a stack service spec). Peer: the same body through JSON.parse/JSON.stringify alone, the floor any
 * Docker-compatible server pays.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { protoRoundTrip, toDocker } from '../../proto/docker/convert.ts';
import { fromDockerAs } from '../../proto/docker/kinds.ts';
import { messageType } from '../../proto/load.ts';
import { tracedRequests } from '../../proto/docker/trace.ts';
import { printResult } from '../result.ts';

const trace = join(
  fileURLToPath(import.meta.url),
  '..',
  '..',
  '..',
  '..',
  'shared',
  'reference',
  'docker-cli-28-trace.txt',
);
const body = tracedRequests(trace)
  .filter((r) => r.route === '/services/create')
  .map((r) => JSON.stringify(r.body))
  .sort((a, b) => b.length - a.length)[0];
if (body === undefined) throw new Error(`no service create body in ${trace}`);

const durationMs = Number(process.argv[2] ?? 2000);

function measure(label: string, op: () => void): number {
  for (let i = 0; i < 200; i++) op();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    for (let i = 0; i < 50; i++) op();
    n += 50;
  }
  const perS = n / ((performance.now() - start) / 1000);
  console.log(`${label.padEnd(40)} ${Math.round(perS).toLocaleString('en')} ops/s`);
  return perS;
}

const type = messageType('ServiceSpec');
const spec = fromDockerAs('ServiceSpec', JSON.parse(body));
const binary = type.encode(type.fromObject(spec)).finish();
console.log(`service spec: ${body.length} bytes of JSON, ${binary.length} bytes of protobuf`);

const full = measure('docker json → proto → binary → json', () => {
  toDocker('ServiceSpec', protoRoundTrip('ServiceSpec', fromDockerAs('ServiceSpec', JSON.parse(body))));
});
const toProto = measure('docker json → proto object', () => fromDockerAs('ServiceSpec', JSON.parse(body)));
const peer = measure('peer: JSON.parse + JSON.stringify', () => JSON.stringify(JSON.parse(body)));

printResult('proto', {
  roundtrip_per_s: Math.round(full),
  from_docker_per_s: Math.round(toProto),
  json_only_per_s: Math.round(peer),
  json_bytes: body.length,
  proto_bytes: binary.length,
});
