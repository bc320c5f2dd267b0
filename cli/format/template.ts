/**
 * A small implementation of Go's text/template, the subset docker's `--format` uses: fields
 * (`{{.Spec.Name}}`), `{{.}}`, variables, pipelines, `if`/`else if`/`else`, `range` (with `$i, $v :=`),
 * `with`, comments, `{{-`/`-}}` trimming, and docker's functions (json, join, split, upper, lower,
 * title, pad, truncate, println) plus Go's builtins (len, index, eq, ne, lt, le, gt, ge, and, or, not,
 * print, printf). Values are JSON values; they print as Go's fmt `%v` would print the decoded value.
 */

type Value = unknown;

/** A parse or execution error; the message follows Go's (`template: :1: ...`). */
export class TemplateError extends Error {
  constructor(message: string) {
    super(`template: ${message}`);
    this.name = 'TemplateError';
  }
}

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pipe: Pipe }
  | { readonly kind: 'if' | 'with'; readonly pipe: Pipe; readonly then: Node[]; readonly else: Node[] }
  | { readonly kind: 'range'; readonly pipe: Pipe; readonly then: Node[]; readonly else: Node[] };

interface Pipe {
  readonly decl: readonly string[];
  readonly cmds: readonly Arg[][];
}

type Arg =
  | { readonly kind: 'field'; readonly base: string; readonly path: readonly string[] }
  | { readonly kind: 'lit'; readonly value: Value }
  | { readonly kind: 'ident'; readonly name: string }
  | { readonly kind: 'pipe'; readonly pipe: Pipe; readonly path: readonly string[] };

/** A compiled template; `execute` renders it against a value. */
export interface Template {
  execute(data: Value): string;
}

/** Compiles a Go template; throws TemplateError on a syntax error. */
export function parseTemplate(src: string): Template {
  const tokens = lex(src);
  let pos = 0;
  const parseList = (stops: readonly string[]): { nodes: Node[]; stop: string; rest: string } => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const tok = tokens[pos++];
      if (tok === undefined) break;
      if (tok.text !== undefined) {
        nodes.push({ kind: 'text', text: tok.text });
        continue;
      }
      const action = tok.action ?? '';
      const word = /^(if|range|with|else|end)\b\s*/.exec(action);
      const kw = word?.[1];
      const rest = word ? action.slice(word[0].length) : action;
      if (kw === 'end' || kw === 'else') {
        if (!stops.includes(kw)) throw new TemplateError(`unexpected {{${kw}}}`);
        return { nodes, stop: kw, rest };
      }
      if (kw === 'if' || kw === 'range' || kw === 'with') nodes.push(parseBlock(kw, rest));
      else if (!action.startsWith('/*')) nodes.push({ kind: 'action', pipe: parsePipe(action) });
    }
    if (stops.length > 0) throw new TemplateError('unexpected EOF');
    return { nodes, stop: '', rest: '' };
  };
  const parseBlock = (kind: 'if' | 'range' | 'with', src: string): Node => {
    const pipe = parsePipe(src);
    const body = parseList(['else', 'end']);
    let elseNodes: Node[] = [];
    if (body.stop === 'else') {
      const elseIf = /^if\b\s*/.exec(body.rest);
      if (elseIf && kind === 'if') {
        elseNodes = [parseBlock('if', body.rest.slice(elseIf[0].length))];
      } else {
        elseNodes = parseList(['end']).nodes;
      }
    }
    return { kind, pipe, then: body.nodes, else: elseNodes };
  };
  const nodes = parseList([]).nodes;
  return { execute: (data) => run(nodes, { dot: data, vars: new Map([['$', data]]) }) };
}

/** Renders `src` against `data` in one call. */
export function renderTemplate(src: string, data: Value): string {
  return parseTemplate(src).execute(data);
}

interface Token {
  readonly text?: string;
  readonly action?: string;
}

function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      out.push({ text: src.slice(i) });
      break;
    }
    let text = src.slice(i, open);
    let start = open + 2;
    if (src.startsWith('- ', start) || src.startsWith('-\t', start) || src.startsWith('-\n', start)) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    const close = findClose(src, start);
    if (close < 0) throw new TemplateError('unclosed action');
    let end = close;
    let trimAfter = false;
    if (/\s-$/.test(src.slice(start, close))) {
      end = close - 1;
      trimAfter = true;
    }
    if (text !== '') out.push({ text });
    out.push({ action: src.slice(start, end).trim() });
    i = close + 2;
    if (trimAfter) while (i < src.length && /\s/.test(src[i] ?? '')) i++;
  }
  return out;
}

/** The `}}` closing an action, skipping quoted strings. */
function findClose(src: string, from: number): number {
  let quote = '';
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (quote !== '') {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '}' && src[i + 1] === '}') return i;
  }
  return -1;
}

const TOKEN_RE =
  /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|(\()|(\))(\.[A-Za-z0-9_.]+)?|(\|)|(:=)|(,)|(\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)|(\.[A-Za-z0-9_.]*)|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*))/y;

function parsePipe(src: string): Pipe {
  const toks: string[] = [];
  const re = new RegExp(TOKEN_RE.source, 'y');
  let at = 0;
  while (at < src.length) {
    if (/^\s*$/.test(src.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(src);
    if (!m) throw new TemplateError(`unexpected ${JSON.stringify(src.slice(at))} in command`);
    toks.push(m[0].trim());
    at = re.lastIndex;
  }
  let p = 0;
  const pipe = (): Pipe => {
    let decl: string[] = [];
    const assign = toks.indexOf(':=', p);
    if (assign >= 0 && toks.slice(p, assign).every((t) => t.startsWith('$') || t === ',')) {
      decl = toks.slice(p, assign).filter((t) => t !== ',');
      p = assign + 1;
    }
    const cmds: Arg[][] = [[]];
    while (p < toks.length) {
      const t = toks[p++] ?? '';
      if (t === ')') {
        p--;
        break;
      }
      if (t === '|') cmds.push([]);
      else if (t === '(') {
        const inner = pipe();
        const closing = toks[p++] ?? '';
        if (!closing.startsWith(')')) throw new TemplateError('unclosed left paren');
        const path = closing.slice(1).split('.').filter(Boolean);
        cmds[cmds.length - 1]?.push({ kind: 'pipe', pipe: inner, path });
      } else cmds[cmds.length - 1]?.push(operand(t));
    }
    if (cmds.some((c) => c.length === 0)) throw new TemplateError('missing value for command');
    return { decl, cmds };
  };
  const out = pipe();
  if (p < toks.length) throw new TemplateError(`unexpected ${toks[p]} in operand`);
  return out;
}

function operand(t: string): Arg {
  if (t.startsWith('"')) return { kind: 'lit', value: JSON.parse(t) as string };
  if (t.startsWith('`')) return { kind: 'lit', value: t.slice(1, -1) };
  if (/^-?\d/.test(t)) return { kind: 'lit', value: Number(t) };
  if (t === 'true' || t === 'false') return { kind: 'lit', value: t === 'true' };
  if (t === 'nil') return { kind: 'lit', value: null };
  if (t.startsWith('.')) return { kind: 'field', base: 'dot', path: t.split('.').filter(Boolean) };
  if (t.startsWith('$')) {
    const [base = '$', ...path] = t.split('.');
    return { kind: 'field', base, path };
  }
  if (t === ',' || t === ':=') throw new TemplateError(`unexpected ${t}`);
  return { kind: 'ident', name: t };
}

interface Scope {
  readonly dot: Value;
  readonly vars: Map<string, Value>;
}

function run(nodes: readonly Node[], scope: Scope): string {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out += node.text;
        break;
      case 'action': {
        const v = evalPipe(node.pipe, scope);
        if (node.pipe.decl.length === 0) out += printValue(v);
        break;
      }
      case 'if':
        out += run(truthy(evalPipe(node.pipe, scope)) ? node.then : node.else, scope);
        break;
      case 'with': {
        const v = evalPipe(node.pipe, scope);
        out += truthy(v) ? run(node.then, { dot: v, vars: scope.vars }) : run(node.else, scope);
        break;
      }
      case 'range':
        out += runRange(node, scope);
        break;
    }
  }
  return out;
}

function runRange(node: Extract<Node, { kind: 'range' }>, scope: Scope): string {
  const v = evalPipe({ decl: [], cmds: node.pipe.cmds }, scope);
  let entries: [Value, Value][] = [];
  if (Array.isArray(v)) entries = v.map((x, i) => [i, x]);
  else if (typeof v === 'number') entries = Array.from({ length: v }, (_, i) => [i, i]);
  else if (v !== null && typeof v === 'object') {
    entries = Object.keys(v)
      .sort()
      .map((k) => [k, (v as Record<string, Value>)[k]]);
  }
  if (entries.length === 0) return run(node.else, scope);
  let out = '';
  for (const [k, x] of entries) {
    const vars = new Map(scope.vars);
    const [a, b] = node.pipe.decl;
    if (a !== undefined && b !== undefined) {
      vars.set(a, k);
      vars.set(b, x);
    } else if (a !== undefined) vars.set(a, x);
    out += run(node.then, { dot: x, vars });
  }
  return out;
}

function evalPipe(pipe: Pipe, scope: Scope): Value {
  let prev: Value = undefined;
  let first = true;
  for (const cmd of pipe.cmds) {
    prev = evalCmd(cmd, scope, first ? [] : [prev]);
    first = false;
  }
  for (const name of pipe.decl) scope.vars.set(name, prev);
  return prev;
}

function evalCmd(cmd: readonly Arg[], scope: Scope, piped: readonly Value[]): Value {
  const [head, ...rest] = cmd;
  if (head === undefined) return undefined;
  if (head.kind === 'ident') {
    const fn = FUNCS[head.name];
    if (!fn) throw new TemplateError(`function ${JSON.stringify(head.name)} not defined`);
    return fn(...rest.map((a) => evalArg(a, scope)), ...piped);
  }
  if (rest.length > 0 || piped.length > 0) throw new TemplateError(`can't give argument to non-function`);
  return evalArg(head, scope);
}

function evalArg(arg: Arg, scope: Scope): Value {
  switch (arg.kind) {
    case 'lit':
      return arg.value;
    case 'ident': {
      const fn = FUNCS[arg.name];
      if (!fn) throw new TemplateError(`function ${JSON.stringify(arg.name)} not defined`);
      return fn();
    }
    case 'pipe':
      return walk(evalPipe(arg.pipe, scope), arg.path);
    case 'field': {
      if (arg.base === 'dot') return walk(scope.dot, arg.path);
      if (!scope.vars.has(arg.base)) throw new TemplateError(`undefined variable "${arg.base}"`);
      return walk(scope.vars.get(arg.base), arg.path);
    }
  }
}

function walk(v: Value, path: readonly string[]): Value {
  let cur = v;
  for (const key of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, Value>)[key];
  }
  return cur;
}

/** Go's truth: false, 0, nil, and empty strings, slices and maps are false. */
export function truthy(v: Value): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** Go's `%v` for a decoded JSON value: maps as `map[k:v]`, slices as `[a b]`, missing as `<no value>`. */
export function printValue(v: Value, nested = false): string {
  if (v === undefined) return nested ? '<nil>' : '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => printValue(x, true)).join(' ')}]`;
  const obj = v as Record<string, Value>;
  return `map[${Object.keys(obj)
    .sort()
    .map((k) => `${k}:${printValue(obj[k], true)}`)
    .join(' ')}]`;
}

function str(v: Value): string {
  return typeof v === 'string' ? v : printValue(v, true);
}

function cmp(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return str(a) < str(b) ? -1 : str(a) > str(b) ? 1 : 0;
}

const FUNCS: Readonly<Record<string, (...args: Value[]) => Value>> = {
  json: (v) => JSON.stringify(v === undefined ? null : v),
  join: (list, sep) => (Array.isArray(list) ? list.map(str).join(str(sep)) : str(list)),
  split: (s, sep) => str(s).split(str(sep)),
  upper: (s) => str(s).toUpperCase(),
  lower: (s) => str(s).toLowerCase(),
  title: (s) => str(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  pad: (s, left, right) => ' '.repeat(Number(left)) + str(s) + ' '.repeat(Number(right)),
  truncate: (s, n) => [...str(s)].slice(0, Number(n)).join(''),
  println: (...args) => args.map(str).join(' ') + '\n',
  print: (...args) => args.map(str).join(''),
  printf: (fmt, ...args) => {
    let i = 0;
    return str(fmt).replace(/%([-+ 0#]*\d*)?([svdqf%])/g, (_m, _flags, verb: string) => {
      if (verb === '%') return '%';
      const a = args[i++];
      return verb === 'q' ? JSON.stringify(str(a)) : str(a);
    });
  },
  len: (v) =>
    typeof v === 'string' || Array.isArray(v)
      ? v.length
      : v && typeof v === 'object'
        ? Object.keys(v).length
        : 0,
  index: (v, ...keys) => walk(v, keys.map(String)),
  eq: (a, ...bs) => bs.some((b) => cmp(a, b) === 0 && typeof a === typeof b),
  ne: (a, b) => !(cmp(a, b) === 0 && typeof a === typeof b),
  lt: (a, b) => cmp(a, b) < 0,
  le: (a, b) => cmp(a, b) <= 0,
  gt: (a, b) => cmp(a, b) > 0,
  ge: (a, b) => cmp(a, b) >= 0,
  not: (v) => !truthy(v),
  and: (...args) => args.find((a) => !truthy(a)) ?? args[args.length - 1],
  or: (...args) => args.find((a) => truthy(a)) ?? args[args.length - 1],
};
