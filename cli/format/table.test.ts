import { describe, expect, it } from 'vitest';
import { table, tabwrite } from './table.ts';

describe('tabwriter as docker configures it', () => {
  it('lays out service ls as in the trace (trailing cell padding kept)', () => {
    const out = table(
      ['ID', 'NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS'],
      [
        ['1qp5euurzqnc', 'web', 'replicated', '2/2', 'nginx:alpine', '*:8080->80/tcp'],
        ['ezcbi9d84o4p', 'web2', 'global', '1/1', 'busybox:latest', ''],
      ],
    );
    expect(out).toBe(
      'ID             NAME      MODE         REPLICAS   IMAGE            PORTS\n' +
        '1qp5euurzqnc   web       replicated   2/2        nginx:alpine     *:8080->80/tcp\n' +
        'ezcbi9d84o4p   web2      global       1/1        busybox:latest   \n',
    );
  });

  it('keeps the minimum width of 10 for short columns', () => {
    expect(table(['ID', 'NAME', 'IMAGE'], [])).toBe('ID        NAME      IMAGE\n');
  });

  it('aligns only the lines of a block that has the column', () => {
    expect(tabwrite('a\tb\tc\nlonger line\nxx\ty\n')).toBe(
      'a         b         c\nlonger line\nxx        y\n',
    );
  });

  it('pads the stack services column with max replicas', () => {
    const out = table(
      ['ID', 'NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS'],
      [
        [
          'xdrbps5ev4cc',
          'mystack_web',
          'replicated',
          '3/3 (max 2 per node)',
          'nginx:alpine',
          '*:8081->80/tcp',
        ],
        ['i08lr90ihrkp', 'mystack_worker', 'global', '1/1', 'busybox:latest', ''],
      ],
    );
    expect(out.split('\n')[1]).toBe(
      'xdrbps5ev4cc   mystack_web      replicated   3/3 (max 2 per node)   nginx:alpine     *:8081->80/tcp',
    );
  });
});
