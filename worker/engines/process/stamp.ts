/**
 * The log recorder of a task: one small perl process per stream (perl-base is on every Debian), started
 * by wrapper.sh on the host before the task joins its cgroups. It reads the stream from a FIFO and
 * appends each line to the stream's file prefixed with the time it was read (`<seconds>.<micro> `),
 * so every line carries its own time; lines longer than 16 KiB are split (as Docker does). When the file
 * would pass the cap it is renamed to `<file>.1` (replacing the previous one) and a new one is started.
 * At end of stream it creates `<file>.done`, so a reader knows the last line is on disk.
 */
import { execFileSync } from 'node:child_process';

/** The default cap of each stream's file: 10 MiB, with one rotated file kept (so 20 MiB per stream). */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;

/** Longest line kept in one record; longer ones are split. */
export const MAX_LINE_BYTES = 16 * 1024;

/** The recorder program (argv: file, cap in bytes). */
export const STAMPER = `
use strict; use Time::HiRes qw(gettimeofday);
my ($path, $max) = @ARGV; my $size = -s $path || 0; my $buf = '';
open(my $out, '>>', $path) or die "$path: $!";
sub emit { my ($rec) = @_; my ($s, $us) = gettimeofday();
  $rec = sprintf('%d.%06d ', $s, $us) . $rec;
  if ($size > 0 && $size + length($rec) > $max) {
    close $out; rename $path, "$path.1"; open($out, '>>', $path) or die "$path: $!"; $size = 0; }
  syswrite($out, $rec); $size += length($rec); }
for (;;) { my $n = sysread(STDIN, $buf, 65536, length $buf);
  if (!defined $n) { next if $!{EINTR}; last; } last if $n == 0;
  while ((my $i = index($buf, "\\n")) >= 0) { emit(substr($buf, 0, $i + 1, '')); }
  while (length($buf) >= ${MAX_LINE_BYTES}) { emit(substr($buf, 0, ${MAX_LINE_BYTES}, '') . "\\n"); } }
emit("$buf\\n") if length $buf; close $out; open(my $done, '>', "$path.done"); close $done;
`;

let perlBinary: string | null | undefined;

/** perl, found once on PATH (undefined when the host has none: lines then carry their read time). */
export function findPerl(): string | undefined {
  if (perlBinary === undefined) {
    try {
      perlBinary = execFileSync('sh', ['-c', 'command -v perl'], { encoding: 'utf8' }).trim() || null;
    } catch {
      perlBinary = null;
    }
  }
  return perlBinary ?? undefined;
}
