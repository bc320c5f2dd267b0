/**
 * A stand-alone raft member process over a trivial key-value state machine, with a small HTTP control
 * surface on loopback — for benchmarks and crash tests that need real processes:
 *
 *   node --import tsx raft/node/serve.ts --id 1 --raft 127.0.0.1:7001 --http 127.0.0.1:8001 \
 *     --data DIR --members 1=127.0.0.1:7001,2=...,3=...   (key: $SHOAL_RAFT_KEY, 64 hex digits)
 *
 * POST /put?key=K (body: value) → 200 with the log index once committed and applied; 421 with the
 * leader's id when this member does not lead; 503 on timeout or no leader. GET /status → JSON.
 * Prints `READY` once serving.
 */
import * as grpc from '@grpc/grpc-js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { createLogger } from '../../proto/shared/log.ts';
import { NotLeaderError, RaftNode, type Member, type StateMachine } from './index.ts';

const { values } = parseArgs({
  options: {
    id: { type: 'string' },
    raft: { type: 'string' },
    http: { type: 'string' },
    data: { type: 'string' },
    members: { type: 'string', default: '' },
    'tick-ms': { type: 'string', default: '100' },
    bootstrap: { type: 'boolean', default: true },
  },
});

function required(name: string, v: string | undefined): string {
  if (!v) {
    console.error(`serve: --${name} is required`);
    process.exit(2);
  }
  return v;
}

const id = required('id', values.id);
const raftAddr = required('raft', values.raft);
const [httpHost, httpPort] = required('http', values.http).split(':');
const keyHex = process.env['SHOAL_RAFT_KEY'] ?? '';
if (!/^[0-9a-f]{64}$/.test(keyHex)) {
  console.error('serve: $SHOAL_RAFT_KEY must be 64 hex digits');
  process.exit(2);
}
const members: Member[] = (values.members ?? '')
  .split(',')
  .filter((s) => s !== '')
  .map((s) => {
    const [mid, addr] = s.split('=');
    return { id: mid ?? '', addr: addr ?? '' };
  });

class KvMachine implements StateMachine {
  map = new Map<string, Buffer>();
  apply(data: Uint8Array): void {
    const buf = Buffer.from(data);
    const len = buf.readUInt16BE(0);
    this.map.set(buf.subarray(2, 2 + len).toString(), buf.subarray(2 + len));
  }
  snapshot(): Uint8Array {
    return Buffer.from(JSON.stringify([...this.map].map(([k, v]) => [k, v.toString('base64')])));
  }
  restore(data: Uint8Array): void {
    const list = JSON.parse(Buffer.from(data).toString() || '[]') as [string, string][];
    this.map = new Map(list.map(([k, v]) => [k, Buffer.from(v, 'base64')]));
  }
}

const log = createLogger({
  name: `raft-${id}`,
  level: process.env['SHOAL_LOG_LEVEL'] === undefined ? 'warn' : (undefined as never),
});
const node = await RaftNode.start({
  id,
  addr: raftAddr,
  dataDir: required('data', values.data),
  key: { id: 'bench', key: Buffer.from(keyHex, 'hex') },
  credentials: { client: grpc.credentials.createInsecure(), server: grpc.ServerCredentials.createInsecure() },
  stateMachine: new KvMachine(),
  tickMs: Number(values['tick-ms']),
  ...(values.bootstrap ? { bootstrap: members } : {}),
  peers: members,
  log,
});
node.on('fatal', (err) => {
  console.error(`serve ${id}: fatal: ${err.message}`);
  process.exit(1);
});

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.method === 'GET' && url.pathname === '/status') {
    const st = node.status();
    reply(
      res,
      200,
      JSON.stringify({
        id: st.id,
        role: st.role,
        term: st.term,
        lead: st.lead,
        commit: st.commit,
        applied: st.applied,
      }),
    );
    return;
  }
  if (req.method === 'POST' && url.pathname === '/put') {
    const key = Buffer.from(url.searchParams.get('key') ?? '');
    const value = await body(req);
    const head = Buffer.alloc(2);
    head.writeUInt16BE(key.byteLength, 0);
    try {
      const index = await node.propose(Buffer.concat([head, key, value]));
      reply(res, 200, String(index));
    } catch (err) {
      if (err instanceof NotLeaderError)
        reply(res, err.leaderId === null ? 503 : 421, err.leaderId ?? 'no leader');
      else reply(res, 503, err instanceof Error ? err.message : String(err));
    }
    return;
  }
  reply(res, 404, 'not found');
}

const server = createServer((req, res) => {
  handle(req, res).catch((err: unknown) => reply(res, 500, String(err)));
});
server.keepAliveTimeout = 60_000;
server.listen(Number(httpPort), httpHost, () => console.log('READY'));

for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    server.close();
    void node.stop().then(() => process.exit(0));
  });
}
