import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import { constraintsHold, parseConstraints } from './constraint.ts';
import { makeNode } from './fixtures.ts';

const node = makeNode({
  id: 'node1abc',
  hostname: 'Web-01',
  role: 'manager',
  os: 'Linux',
  arch: 'x86_64',
  addr: '192.168.1.20',
  labels: { zone: 'East', Rack: 'r1' },
  engineLabels: { disk: 'SSD' },
});

const holds = (expr: string): boolean => constraintsHold(parseConstraints([expr]), node);

describe('parseConstraints', () => {
  it('parses key, operator and value, trimming spaces', () => {
    const [c] = parseConstraints([' node.labels.zone  ==  East ']);
    expect(c?.key).toEqual({ kind: 'node.labels', label: 'zone' });
    expect(c?.operator).toBe('==');
    expect(c?.value).toBe('east');
  });

  it.each([
    ['node.role', 'expected one operator from ==, !='],
    ['node.role=manager', 'operator "=" is not supported'],
    ['node.role>=manager', 'operator ">=" is not supported'],
    ['node.colour==red', 'unknown key "node.colour"'],
    ['node.labels.==x', 'unknown key "node.labels."'],
    ['==manager', 'key "" is invalid'],
    ['node.role==', 'value "" is invalid'],
    ['node.role==a==b', 'value "a==b" is invalid'],
    ['node.ip==not-an-ip', 'is not an IP address or CIDR block'],
    ['node.ip==10.0.0.0/33', 'is not an IP address or CIDR block'],
  ])('refuses %s naming the expression and the fault', (expr, why) => {
    let err: unknown;
    try {
      parseConstraints(['node.role==worker', expr]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toContain(JSON.stringify(expr));
    expect((err as Error).message).toContain(why);
  });
});

describe('constraints on a node', () => {
  it.each([
    ['node.id==node1abc', true],
    ['node.id!=node1abc', false],
    ['node.id==other', false],
    ['node.hostname==web-01', true],
    ['node.hostname!=WEB-01', false],
    ['node.role==manager', true],
    ['node.role==Worker', false],
    ['node.role!=worker', true],
    ['node.platform.os==linux', true],
    ['node.platform.os!=windows', true],
    ['node.platform.arch==X86_64', true],
    ['node.platform.arch==arm64', false],
    ['node.labels.zone==east', true],
    ['node.labels.zone!=EAST', false],
    ['node.labels.Rack==R1', true],
    ['engine.labels.disk==ssd', true],
    ['engine.labels.disk!=ssd', false],
    ['NODE.LABELS.zone==east', true],
  ])('%s → %s', (expr, want) => {
    expect(holds(expr)).toBe(want);
  });

  it('reads a missing attribute as ""', () => {
    expect(holds('node.labels.gpu==yes')).toBe(false);
    expect(holds('node.labels.gpu!=yes')).toBe(true);
    expect(holds('engine.labels.gpu!=yes')).toBe(true);
    const bare = makeNode({ addr: '' });
    expect(constraintsHold(parseConstraints(['node.ip!=10.0.0.1']), bare)).toBe(true);
    expect(constraintsHold(parseConstraints(['node.ip==10.0.0.0/8']), bare)).toBe(false);
  });

  it('matches node.ip as an address or a CIDR block, IPv4 and IPv6', () => {
    expect(holds('node.ip==192.168.1.20')).toBe(true);
    expect(holds('node.ip!=192.168.1.20')).toBe(false);
    expect(holds('node.ip==192.168.1.21')).toBe(false);
    expect(holds('node.ip==192.168.0.0/16')).toBe(true);
    expect(holds('node.ip!=192.168.0.0/16')).toBe(false);
    expect(holds('node.ip==10.0.0.0/8')).toBe(false);
    expect(holds('node.ip!=10.0.0.0/8')).toBe(true);
    const v6 = makeNode({ addr: '[fd00::5]:2377' });
    expect(constraintsHold(parseConstraints(['node.ip==fd00::/8']), v6)).toBe(true);
    expect(constraintsHold(parseConstraints(['node.ip==fe80::/10']), v6)).toBe(false);
    const withPort = makeNode({ addr: '10.1.2.3:2377' });
    expect(constraintsHold(parseConstraints(['node.ip==10.1.0.0/16']), withPort)).toBe(true);
  });

  it('requires every constraint to hold', () => {
    expect(constraintsHold(parseConstraints(['node.role==manager', 'node.labels.zone==east']), node)).toBe(
      true,
    );
    expect(constraintsHold(parseConstraints(['node.role==manager', 'node.labels.zone==west']), node)).toBe(
      false,
    );
  });
});
