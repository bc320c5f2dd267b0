/**
 * `ContainerSpec.user` (`name`, `uid`, `name:group`, `uid:gid`) resolved against the passwd and group
 * files of the filesystem the task runs in, as Docker does.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '../../../proto/shared/errors.ts';

export interface Ids {
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

async function entries(root: string, file: string): Promise<string[][]> {
  const text = await readFile(join(root, 'etc', file), 'utf8').catch(() => '');
  return text.split('\n').map((l) => l.split(':'));
}

/** @throws InvalidArgumentError naming the user or group that the filesystem does not know. */
export async function resolveUser(spec: string, root: string): Promise<Ids | undefined> {
  if (spec === '') return undefined;
  const [u = '', g] = spec.split(':', 2);
  const passwd = await entries(root, 'passwd');
  const byName = passwd.find((e) => e[0] === u);
  const byId = /^\d+$/.test(u) ? passwd.find((e) => e[2] === u) : undefined;
  const entry = byName ?? byId;
  if (entry === undefined && !/^\d+$/.test(u)) {
    throw new InvalidArgumentError(
      `user ${JSON.stringify(u)} not found in ${join(root, 'etc/passwd')}`,
      'user',
    );
  }
  const uid = entry ? Number(entry[2]) : Number(u);
  let gid = entry ? Number(entry[3]) : 0;
  if (g !== undefined && g !== '') {
    if (/^\d+$/.test(g)) gid = Number(g);
    else {
      const grp = (await entries(root, 'group')).find((e) => e[0] === g);
      if (grp === undefined) {
        throw new InvalidArgumentError(
          `group ${JSON.stringify(g)} not found in ${join(root, 'etc/group')}`,
          'user',
        );
      }
      gid = Number(grp[2]);
    }
  }
  return { uid, gid, home: entry?.[5] ?? '/' };
}
