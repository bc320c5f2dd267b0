import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogsClient } from '../../proto/gen/shoal/api/Logs.ts';
import type { LogMessage__Output } from '../../proto/gen/shoal/api/LogMessage.ts';
import { accessFor } from '../../ca/authz.ts';
import { grpcServices } from '../../proto/load.ts';
import { eventually } from '../dispatcher/testing.ts';
import { logsHandlers, remoteLogs } from './services.ts';
import { line, listenAs, publishAs, seed, serveBroker, type ServedBroker } from './testing.ts';

describe('the Logs service (what a follower manager calls on the leader)', () => {
  it('is for managers only, while agents may call the LogBroker', () => {
    expect(accessFor('/shoal.api.Logs/SubscribeLogs')).toBe('manager');
    expect(accessFor('/shoal.api.LogBroker/PublishLogs')).toBe('node');
    expect(accessFor('/shoal.api.LogBroker/ListenSubscriptions')).toBe('node');
  });

  let s: ServedBroker | undefined;
  let server: grpc.Server | undefined;
  let client: LogsClient | undefined;
  afterEach(async () => {
    client?.close();
    server?.forceShutdown();
    await s?.close();
  });

  async function serveLogs(b: ServedBroker): Promise<LogsClient> {
    server = new grpc.Server();
    server.addService(
      grpcServices().shoal.api.Logs.service,
      logsHandlers((req, signal) => b.broker.subscribe(req, signal)),
    );
    const port = await new Promise<number>((resolve, reject) =>
      server?.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    return new (grpcServices().shoal.api.Logs)(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }

  it('streams the subscription to the remote caller and ends with it', async () => {
    s = await serveBroker();
    client = await serveLogs(s);
    await seed(s.store, { n1: 'STATE_READY' }, [['t1', 'web', 'n1']]);
    const a = listenAs(s.client, 'n1');
    await eventually(() => s?.broker.listeningNodes().length === 1);
    const got: LogMessage__Output[] = [];
    const reading = (async () => {
      for await (const m of remoteLogs(
        client,
        { selector: { serviceIds: ['web'] } },
        new AbortController().signal,
      ))
        got.push(m);
    })();
    await eventually(() => a.received.length === 1);
    await publishAs(s.client, 'n1', a.received[0]?.id ?? '', [
      line('web', 'n1', 't1', 'x'),
      line('web', 'n1', 't1', 'y'),
    ]);
    await reading;
    expect(got.map((m) => [m.context?.taskId, m.data.toString()])).toEqual([
      ['t1', 'x'],
      ['t1', 'y'],
    ]);
    a.cancel();
  });

  it('passes errors through with their code, and aborting cancels the remote subscription', async () => {
    s = await serveBroker();
    client = await serveLogs(s);
    const empty = remoteLogs(client, { selector: {} }, new AbortController().signal);
    await expect(
      (async () => {
        for await (const _ of empty) void _;
      })(),
    ).rejects.toThrow(/selector is empty/);
    await seed(s.store, { n1: 'STATE_READY' }, [['t1', 'web', 'n1']]);
    const ac = new AbortController();
    const following = (async () => {
      for await (const _ of remoteLogs(
        client,
        { selector: { serviceIds: ['web'] }, options: { follow: true } },
        ac.signal,
      ))
        void _;
    })();
    await eventually(() => s?.broker.subscriptions().length === 1);
    ac.abort();
    await following;
    await eventually(() => s?.broker.subscriptions().length === 0);
  });
});
