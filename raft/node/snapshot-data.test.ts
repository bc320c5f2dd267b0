import { describe, expect, it } from 'vitest';
import { decodeSnapshotData, encodeSnapshotData } from './snapshot-data.ts';

describe('snapshot data', () => {
  it('round-trips the address book, the removed ids and the application state', () => {
    const data = encodeSnapshotData([{ id: '1', addr: 'a:1' }], Buffer.from('app'), ['2', '3']);
    const out = decodeSnapshotData(data);
    expect(out.members).toEqual([{ id: '1', addr: 'a:1' }]);
    expect(out.removed).toEqual(['2', '3']);
    expect(Buffer.from(out.app).toString()).toBe('app');
  });

  it('reads the first layout (a bare member list) as having no removed ids', () => {
    const json = Buffer.from(JSON.stringify([{ id: '1', addr: 'a:1' }]));
    const head = Buffer.alloc(4);
    head.writeUInt32BE(json.byteLength, 0);
    const out = decodeSnapshotData(Buffer.concat([head, json, Buffer.from('app')]));
    expect(out).toMatchObject({ members: [{ id: '1', addr: 'a:1' }], removed: [] });
    expect(Buffer.from(out.app).toString()).toBe('app');
  });

  it('decodes empty data as an empty state', () => {
    expect(decodeSnapshotData(new Uint8Array(0))).toMatchObject({ members: [], removed: [] });
  });
});
