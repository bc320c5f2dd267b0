/**
 * The host harness's own faults do what they say, on a one-manager, one-worker swarm of hosts: the
 * underlay is private, a one-way partition drops one direction only, loss 100% cuts a host off,
 * pause/resume, kill/restart, a full disk is a real ENOSPC for the daemon, corruption is seen at the
 * next start, delay() refuses honestly where the kernel has no netem. See hosts/README.md.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostCluster } from './hosts/cluster.ts';
import { DelayUnsupportedError } from './hosts/faults.ts';
import type { Host } from './hosts/host.ts';
import { hasNetem } from './hosts/underlay.ts';
import { run } from './hosts/sys.ts';

const unavailable = HostCluster.unavailable();
if (unavailable) console.log(`faults-harness: skipped: ${unavailable}`);

/** Runs a node script inside a host's network namespace; resolves with its exit code. */
function inHost(h: Host, script: string, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn('nsenter', [`--net=/var/run/netns/${h.s.ns}`, process.execPath, '-e', script], {
      stdio: 'ignore',
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
}

/** Whether a UDP datagram sent from `from` reaches `to` (a receiver listens on `to` for 1.5 s). */
async function udpReaches(from: Host, to: Host, port = 7001): Promise<boolean> {
  const receiver = inHost(
    to,
    `const s=require('dgram').createSocket('udp4');s.on('message',()=>process.exit(0));` +
      `s.bind(${port},'${to.ip}');setTimeout(()=>process.exit(1),1500);`,
  );
  await new Promise((r) => setTimeout(r, 300));
  await inHost(
    from,
    `const s=require('dgram').createSocket('udp4');let n=0;const t=setInterval(()=>{` +
      `s.send('x',${port},'${to.ip}');if(++n===8){clearInterval(t);s.close();}},100);`,
  );
  return (await receiver) === 0;
}

describe.skipIf(unavailable !== undefined)('host harness: faults do what they say', () => {
  let c: HostCluster;
  let m1: Host, w1: Host;

  beforeAll(async () => {
    c = await HostCluster.start({ managers: 1, workers: 1, tickMs: 50, heartbeatMs: 1000, diskMb: 32 });
    m1 = c.host('m1');
    w1 = c.host('w1');
  }, 120_000);
  afterAll(async () => {
    await c?.destroy();
  }, 60_000);

  const nodeState = async (name: string): Promise<string | undefined> =>
    (await m1.api('GET', '/v1.47/nodes', undefined, 5000))
      .json<{ Description?: { Hostname?: string }; Status: { State: string } }[]>()
      .find((n) => n.Description?.Hostname === name)?.Status.State;

  it('the underlay is private: hosts reach each other, the machine has no address on it', async () => {
    expect(run('ip', ['-4', '-o', 'addr']).includes(c.subnet.replace(/\.0\/24$/, '.'))).toBe(false);
    expect(await udpReaches(w1, m1)).toBe(true);
    expect(await udpReaches(m1, w1)).toBe(true);
  });

  it('a one-way partition drops one direction only; heal() restores both', async () => {
    c.partition([w1], [m1], { oneWay: true });
    expect(await udpReaches(w1, m1)).toBe(false);
    expect(await udpReaches(m1, w1)).toBe(true);
    c.heal();
    expect(await udpReaches(w1, m1)).toBe(true);
  });

  it('loss 100% cuts the host off; loss 0 restores it', async () => {
    c.loss(w1, 100);
    expect(await udpReaches(w1, m1)).toBe(false);
    expect(await udpReaches(m1, w1)).toBe(false);
    c.loss(w1, 0);
    expect(await udpReaches(w1, m1)).toBe(true);
  });

  it('delay() uses netem, or refuses with a clear error where the kernel has none', () => {
    if (hasNetem(w1.s.ns)) {
      c.delay(w1, 20);
      c.delay(w1, 0);
    } else {
      expect(() => c.delay(w1, 20)).toThrow(DelayUnsupportedError);
      expect(() => c.delay(w1, 20)).toThrow(/not supported by this kernel \(no sch_netem/);
    }
  });

  it('pause stops the daemon answering; resume brings it back', async () => {
    c.pause(w1);
    expect(await w1.ping(500)).toBe(0);
    c.resume(w1);
    expect(await w1.ping(5000)).toBe(200);
  });

  it('kill and restart: the node comes back from its data root', async () => {
    await c.kill(w1);
    expect(w1.running()).toBe(false);
    await c.restart(w1);
    await c.waitFor(async () => (await nodeState('w1')) === 'ready', 'w1 ready again', 20_000);
  }, 60_000);

  it("a full disk is a real ENOSPC for the host's tasks; freeing it lets the service converge", async () => {
    const bytes = c.fillDisk(w1);
    expect(bytes).toBeGreaterThan(30 * 1024 * 1024);
    const r = await m1.api('POST', '/v1.47/services/create', {
      Name: 'on-full-disk',
      TaskTemplate: {
        ContainerSpec: { Image: 'busybox', Command: ['sleep', '1002'], StopGracePeriod: 1_000_000_000 },
        Placement: { Constraints: ['node.role==worker'] },
        RestartPolicy: { Delay: 200_000_000 },
      },
      Mode: { Replicated: { Replicas: 1 } },
    });
    expect(r.status, r.body).toBe(201);
    const tasks = async () =>
      (
        await m1.api(
          'GET',
          `/v1.47/tasks?filters=${encodeURIComponent(JSON.stringify({ service: ['on-full-disk'] }))}`,
        )
      ).json<{ Status: { State: string; Err?: string } }[]>();
    await c.waitFor(
      async () => (await tasks()).some((t) => /ENOSPC|no space left/i.test(t.Status.Err ?? '')),
      'a task failing with ENOSPC',
      20_000,
    );
    c.freeDisk(w1);
    await c.waitFor(
      async () => (await tasks()).some((t) => t.Status.State === 'running'),
      'the service running once the disk has room',
      30_000,
    );
  }, 60_000);

  it("corrupting a manager's raft data: shoald refuses to start, naming the damage", async () => {
    await c.kill(m1);
    expect(c.corrupt(m1, 'raft/CURRENT')).toEqual(['raft/CURRENT']);
    await expect(m1.start()).rejects.toThrow(/Corruption|corrupt/i);
  }, 60_000);
});
