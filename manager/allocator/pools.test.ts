import { describe, expect, it } from 'vitest';
import { NetworkAddresses, SubnetAddresses } from './address-pool.ts';
import { Bitset } from './bitset.ts';
import { PoolExhaustedError, PortInUseError, SubnetOverlapError } from './errors.ts';
import { formatCidr, parseCidr } from './ipv4.ts';
import { NumberPool, PortPool, VniPool } from './number-pool.ts';
import { SubnetPool } from './subnet-pool.ts';

describe('ipv4', () => {
  it('parses CIDRs and refuses host bits and junk, naming the value', () => {
    expect(formatCidr(parseCidr('10.0.1.0/24'))).toBe('10.0.1.0/24');
    expect(() => parseCidr('10.0.1.5/24')).toThrow('invalid subnet 10.0.1.5/24: it should be 10.0.1.0/24');
    expect(() => parseCidr('10.0.1.0')).toThrow('invalid subnet "10.0.1.0"');
    expect(() => parseCidr('300.0.0.0/8')).toThrow('invalid subnet');
    expect(() => parseCidr('10.0.0.0/33')).toThrow('invalid subnet');
  });
});

describe('Bitset', () => {
  it('finds the next clear bit, wrapping, across full words', () => {
    const b = new Bitset(70);
    for (let i = 0; i < 65; i++) b.set(i);
    expect(b.nextClear(0)).toBe(65);
    expect(b.nextClear(69)).toBe(69);
    b.set(69);
    expect(b.nextClear(69)).toBe(65);
    for (let i = 65; i < 69; i++) b.set(i);
    expect(b.nextClear(0)).toBeUndefined();
    expect(b.clear(3)).toBe(true);
    expect(b.clear(3)).toBe(false);
    expect(b.nextClear(10)).toBe(3);
  });
});

describe('SubnetPool', () => {
  it('carves /24s from 10.0.0.0/8 lowest first', () => {
    const p = new SubnetPool();
    expect(formatCidr(p.allocate('a'))).toBe('10.0.0.0/24');
    expect(formatCidr(p.allocate('b'))).toBe('10.0.1.0/24');
  });

  it('skips subnets given explicitly, whatever their size', () => {
    const p = new SubnetPool();
    p.reserve(parseCidr('10.0.0.0/23'), 'explicit');
    p.reserve(parseCidr('10.0.2.128/25'), 'small');
    expect(formatCidr(p.allocate('a'))).toBe('10.0.3.0/24');
  });

  it('refuses an overlapping subnet, naming the network holding it', () => {
    const p = new SubnetPool();
    p.allocate('backend');
    expect(() => p.reserve(parseCidr('10.0.0.128/25'), 'other')).toThrow(SubnetOverlapError);
    expect(() => p.reserve(parseCidr('10.0.0.0/16'), 'other')).toThrow(
      'subnet 10.0.0.0/16 overlaps subnet 10.0.0.0/24 of network backend',
    );
    p.reserve(parseCidr('10.0.0.0/24'), 'backend'); // the holder again: no-op
    p.reserve(parseCidr('192.168.0.0/16'), 'outside'); // outside the pools is fine
    expect(p.size).toBe(2);
  });

  it('uses the given pools and subnet size, runs out, and reuses released subnets', () => {
    const p = new SubnetPool(['192.168.0.0/22'], 23);
    const a = p.allocate('a');
    const b = p.allocate('b');
    expect([formatCidr(a), formatCidr(b)]).toEqual(['192.168.0.0/23', '192.168.2.0/23']);
    expect(() => p.allocate('c')).toThrow(PoolExhaustedError);
    expect(() => p.allocate('c')).toThrow('no free /23 left in the default address pool (192.168.0.0/22)');
    p.release(a);
    expect(formatCidr(p.allocate('c'))).toBe('192.168.0.0/23');
  });

  it('keeps a block busy while any subnet inside it is held', () => {
    const p = new SubnetPool(['10.0.0.0/23'], 24);
    p.reserve(parseCidr('10.0.0.0/26'), 'x');
    p.reserve(parseCidr('10.0.0.64/26'), 'y');
    p.release(parseCidr('10.0.0.0/26'));
    expect(formatCidr(p.allocate('z'))).toBe('10.0.1.0/24');
    p.release(parseCidr('10.0.0.64/26'));
    expect(formatCidr(p.allocate('w'))).toBe('10.0.0.0/24');
  });

  it('refuses unusable options', () => {
    expect(() => new SubnetPool(['10.0.0.0/24'], 16)).toThrow('larger than the default address pool');
    expect(() => new SubnetPool(['10.0.0.0/8'], 31)).toThrow('invalid subnet size 31');
    expect(() => new SubnetPool(['nope'], 24)).toThrow('invalid default address pool "nope"');
  });
});

describe('address pools', () => {
  it('gives the gateway the first address and never hands out network, gateway or broadcast', () => {
    const s = new SubnetAddresses(parseCidr('10.0.1.0/29'));
    expect(s.capacity).toBe(5);
    const got: number[] = [];
    for (let ip = s.allocate(); ip !== undefined; ip = s.allocate()) got.push(ip & 255);
    expect(got).toEqual([2, 3, 4, 5, 6]);
    expect(s.release(parseCidr('10.0.1.1/32').base)).toBe(false); // the gateway is not released
  });

  it('reports exhaustion naming the network, subnet and count, then reuses a freed address', () => {
    const n = new NetworkAddresses('backend', 'nid', [new SubnetAddresses(parseCidr('10.0.1.0/24'))]);
    const addrs = Array.from({ length: 253 }, () => n.allocate());
    expect(new Set(addrs).size).toBe(253);
    expect(addrs[0]).toBe('10.0.1.2/24');
    expect(() => n.allocate()).toThrow(
      'could not allocate an IP address on network backend (10.0.1.0/24): all 253 addresses in use',
    );
    expect(n.release('10.0.1.77/24')).toBe(true);
    expect(n.allocate()).toBe('10.0.1.77/24');
  });

  it('hands out addresses serially, reusing a freed one only after the rest', () => {
    const n = new NetworkAddresses('net', 'nid', [new SubnetAddresses(parseCidr('10.0.1.0/29'))]);
    const a = n.allocate();
    n.allocate();
    n.release(a);
    expect(n.allocate()).toBe('10.0.1.4/29');
  });

  it('takes an explicit gateway, reserves recorded addresses once, spans subnets', () => {
    const n = new NetworkAddresses('multi', 'nid', [
      new SubnetAddresses(parseCidr('10.1.0.0/30'), parseCidr('10.1.0.2/32').base),
      new SubnetAddresses(parseCidr('10.2.0.0/30')),
    ]);
    expect(n.capacity).toBe(2);
    expect(n.reserve('10.1.0.1/30')).toBe(true);
    expect(n.reserve('10.1.0.1/30')).toBe(false);
    expect(n.allocate()).toBe('10.2.0.2/30');
    expect(() => new SubnetAddresses(parseCidr('10.0.0.0/31'))).toThrow('too small');
    expect(() => new SubnetAddresses(parseCidr('10.0.0.0/24'), parseCidr('10.0.0.255/32').base)).toThrow(
      'gateway 10.0.0.255 is not a usable address of subnet 10.0.0.0/24',
    );
  });
});

describe('VNIs and ports', () => {
  it('hands out VNIs from 4096 up and reuses the lowest freed', () => {
    const v = new VniPool();
    expect(v.reserve(4096)).toBe(true);
    expect([v.allocate(), v.allocate()]).toEqual([4097, 4098]);
    expect(v.reserve(4097)).toBe(false);
    v.release(4097);
    expect(v.allocate()).toBe(4097);
    expect(v.reserve(100)).toBe(false);
  });

  it('runs a number pool dry', () => {
    const p = new NumberPool(1, 3);
    expect([p.allocate(), p.allocate(), p.allocate(), p.allocate()]).toEqual([1, 2, 3, undefined]);
  });

  it('gives ports from 30000 per protocol and refuses a port another service holds', () => {
    const p = new PortPool();
    const web = { serviceId: 'w1', serviceName: 'web' };
    const api = { serviceId: 'a1', serviceName: 'api' };
    expect(p.allocate('tcp', web)).toBe(30000);
    expect(p.allocate('udp', api)).toBe(30000);
    p.reserve('tcp', 30001, api);
    expect(p.allocate('tcp', web)).toBe(30002);
    p.reserve('tcp', 8080, web);
    p.reserve('tcp', 8080, web);
    expect(() => p.reserve('tcp', 8080, api)).toThrow(PortInUseError);
    expect(() => p.reserve('tcp', 8080, api)).toThrow(
      "port '8080' (tcp) is already in use by service 'web' (w1)",
    );
    p.release('tcp', 8080, 'a1'); // not the holder: nothing happens
    expect(p.owner('tcp', 8080)?.serviceName).toBe('web');
    p.release('tcp', 30000, 'w1');
    expect(p.allocate('tcp', api)).toBe(30000);
  });

  it('says when the dynamic range is used up', () => {
    const p = new PortPool();
    const s = { serviceId: 's', serviceName: 'big' };
    for (let i = 30000; i <= 32767; i++) p.allocate('tcp', s);
    expect(() => p.allocate('tcp', s)).toThrow(
      'could not allocate a published port for service big: all ports 30000-32767/tcp in use',
    );
    expect(p.allocate('udp', s)).toBe(30000);
  });
});
