import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxMissing } from '../../images/testkit.ts';
import { boundingSet, withNeeded } from './caps.ts';
import { allLogs, engineKit, specTask, type EngineKit } from './testkit.ts';

/** Docker's default set as /proc shows it. */
const DOCKER_DEFAULT = 0xa80425fbn;
const bit = (n: number): bigint => 1n << BigInt(n);
const CHOWN = 0;
const NET_ADMIN = 12;

describe('boundingSet', () => {
  it("is Docker's default set with adds and drops", () => {
    expect(boundingSet([], [])).toBe(
      '-all,+chown,+dac_override,+fsetid,+fowner,+mknod,+net_raw,+setgid,+setuid,+setfcap,+setpcap,+net_bind_service,+sys_chroot,+kill,+audit_write',
    );
    expect(boundingSet(['CAP_NET_ADMIN'], ['chown', 'ALL'])).toBe('-all,+net_admin');
    expect(boundingSet(['ALL'], ['CAP_SYS_ADMIN'])).toBe('+all,-sys_admin');
    expect(() => boundingSet(['CAP_NOPE'], [])).toThrow(/unknown capability "CAP_NOPE"/);
  });

  it('keeps what the launcher needs', () => {
    expect(withNeeded('-all,+kill', ['sys_chroot', 'kill'])).toBe('-all,+kill,+sys_chroot');
    expect(withNeeded('+all,-sys_chroot,-bpf', ['sys_chroot'])).toBe('+all,-bpf');
  });
});

const isRoot = process.getuid?.() === 0;
const skip = !isRoot ? 'not root' : await busyboxMissing();

describe.skipIf(skip !== undefined)('process engine capabilities (root)', () => {
  let kit: EngineKit;
  beforeAll(async () => {
    kit = await engineKit();
  });
  afterAll(async () => {
    await kit.close();
  });

  /** The task's Cap* and NoNewPrivs lines as numbers. */
  async function status(cs: Record<string, unknown>): Promise<Record<string, bigint>> {
    const c = await kit.run(
      specTask('caps', {
        command: ['/bin/sh', '-c', 'grep -E "^(Cap|NoNewPrivs)" /proc/self/status'],
        ...cs,
      }),
    );
    expect(await c.wait()).toEqual({ exitCode: 0 });
    const out: Record<string, bigint> = {};
    for (const l of await allLogs(c)) {
      const [k, v] = l.line.split(/:\s+/);
      if (k && v) out[k] = k === 'NoNewPrivs' ? BigInt(v) : BigInt(`0x${v}`);
    }
    return out;
  }

  it("starts a root task with exactly Docker's default capabilities, on the host fs and in an image", async () => {
    for (const image of ['', 'busybox']) {
      const s = await status({ image });
      expect(s).toMatchObject({
        CapInh: 0n,
        CapPrm: DOCKER_DEFAULT,
        CapEff: DOCKER_DEFAULT,
        CapBnd: DOCKER_DEFAULT,
        CapAmb: 0n,
        NoNewPrivs: 0n,
      });
    }
  });

  it('honours cap add and drop, and no-new-privileges', async () => {
    const s = await status({
      image: 'busybox',
      capabilityAdd: ['CAP_NET_ADMIN'],
      capabilityDrop: ['CAP_CHOWN'],
      privileges: { noNewPrivileges: true },
    });
    const want = (DOCKER_DEFAULT | bit(NET_ADMIN)) & ~bit(CHOWN);
    expect(s).toMatchObject({ CapEff: want, CapBnd: want, NoNewPrivs: 1n });
  });

  it('a task run as a user has no effective capabilities', async () => {
    const s = await status({ image: 'busybox', user: 'nobody' });
    expect(s).toMatchObject({ CapEff: 0n, CapPrm: 0n, CapBnd: DOCKER_DEFAULT });
    const host = await status({ image: '', user: '65534:65534' });
    expect(host).toMatchObject({ CapEff: 0n, CapPrm: 0n, CapBnd: DOCKER_DEFAULT });
  });
});
