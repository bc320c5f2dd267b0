import { describe, expect, it } from 'vitest';
import {
  goDuration,
  parseBytes,
  parseDuration,
  parseEnum,
  parseFileRef,
  parseFilters,
  parseMount,
  parseNanoCpus,
  parsePort,
  parseUint,
  ramInBytes,
} from './flags.ts';

describe('Go durations', () => {
  it.each([
    ['10s', 10e9],
    ['1m30s', 90e9],
    ['48h', 172800000000000],
    ['500ms', 5e8],
    ['1.5h', 5400e9],
    ['2us', 2000],
    ['0', 0],
    ['1h2m3s4ms', 3723004000000],
  ])('%s is %d ns', (s, ns) => expect(goDuration(s)).toBe(ns));

  it('refuses what Go refuses, with Go messages', () => {
    expect(() => goDuration('10')).toThrow('time: missing unit in duration "10"');
    expect(() => goDuration('10x')).toThrow('time: unknown unit "x" in duration "10x"');
    expect(() => goDuration('abc')).toThrow('time: invalid duration "abc"');
    expect(() => parseDuration('--update-delay', 'soon')).toThrow(
      'invalid argument "soon" for "--update-delay" flag: time: invalid duration "soon"',
    );
  });
});

describe('sizes and CPUs', () => {
  it('reads sizes in binary units like go-units RAMInBytes', () => {
    expect(ramInBytes('512M')).toBe(536870912);
    expect(ramInBytes('256m')).toBe(268435456);
    expect(ramInBytes('1g')).toBe(1073741824);
    expect(ramInBytes('1.5GiB')).toBe(1610612736);
    expect(ramInBytes('1024')).toBe(1024);
    expect(ramInBytes('64MB')).toBe(67108864);
  });

  it('names the flag and value of a bad size', () => {
    expect(() => parseBytes('--limit-memory', '12qq')).toThrow(
      `invalid argument "12qq" for "--limit-memory" flag: invalid size: '12qq'`,
    );
  });

  it('turns CPUs into nanoCPUs', () => {
    expect(parseNanoCpus('--limit-cpu', '0.5')).toBe(500000000);
    expect(parseNanoCpus('--limit-cpu', '2')).toBe(2e9);
    expect(parseNanoCpus('--limit-cpu', '0.25')).toBe(250000000);
    expect(parseNanoCpus('--limit-cpu', '3/2')).toBe(1.5e9);
    expect(() => parseNanoCpus('--limit-cpu', 'x')).toThrow('"--limit-cpu" flag: failed to parse x');
    expect(() => parseNanoCpus('--limit-cpu', '0.0000000001')).toThrow('value is too precise');
  });
});

describe('integers and enums', () => {
  it('refuses a negative replica count as strconv does', () => {
    expect(() => parseUint('--replicas', '-1')).toThrow(
      'invalid argument "-1" for "--replicas" flag: strconv.ParseUint: parsing "-1": invalid syntax',
    );
    expect(parseUint('--replicas', '3')).toBe(3);
  });

  it('lists the allowed values', () => {
    expect(() => parseEnum('--update-order', 'sideways', ['start-first', 'stop-first'])).toThrow(
      'invalid argument "sideways" for "--update-order" flag: must be one of "start-first", "stop-first"',
    );
  });
});

describe('ports, mounts, refs, filters', () => {
  it('reads short and long port syntax', () => {
    expect(parsePort('8080:80')).toEqual({
      Protocol: 'tcp',
      TargetPort: 80,
      PublishedPort: 8080,
      PublishMode: 'ingress',
    });
    expect(parsePort('53:53/udp')).toEqual({
      Protocol: 'udp',
      TargetPort: 53,
      PublishedPort: 53,
      PublishMode: 'ingress',
    });
    expect(parsePort('80')).toEqual({ Protocol: 'tcp', TargetPort: 80, PublishMode: 'ingress' });
    expect(parsePort('published=8443,target=443,mode=host')).toEqual({
      Protocol: 'tcp',
      TargetPort: 443,
      PublishedPort: 8443,
      PublishMode: 'host',
    });
    expect(() => parsePort('80:99999')).toThrow('"--publish" flag');
  });

  it('reads mounts', () => {
    expect(parseMount('type=bind,source=/srv,target=/hosttmp,readonly')).toEqual({
      Type: 'bind',
      Source: '/srv',
      Target: '/hosttmp',
      ReadOnly: true,
    });
    expect(() => parseMount('type=bind,target=/x')).toThrow('source is required');
    expect(() => parseMount('type=floppy,target=/x')).toThrow('invalid mount type');
  });

  it('reads secret references', () => {
    expect(parseFileRef('--secret', 'db')).toEqual({
      source: 'db',
      target: 'db',
      uid: '0',
      gid: '0',
      mode: 0o444,
    });
    expect(parseFileRef('--secret', 'source=db,target=/run/secrets/x,mode=0400')).toMatchObject({
      target: '/run/secrets/x',
      mode: 256,
    });
  });

  it('groups filters by key', () => {
    expect(parseFilters(['name=a', 'name=b', 'label=x=y'])).toEqual(
      new Map([
        ['name', ['a', 'b']],
        ['label', ['x=y']],
      ]),
    );
    expect(() => parseFilters(['oops'])).toThrow('bad format of filter');
  });
});
