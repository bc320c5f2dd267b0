import { describe, expect, it } from 'vitest';
import { parseTemplate, printValue, renderTemplate } from './template.ts';

const svc = { ID: 'abc', Spec: { Name: 'web', Labels: { b: '2', a: '1' }, Ports: [80, 443] }, Count: 0 };

describe('Go text/template subset', () => {
  it('prints fields and nested fields', () => {
    expect(renderTemplate('{{.ID}} {{.Spec.Name}}', svc)).toBe('abc web');
    expect(renderTemplate('{{ .Spec.Name }}', svc)).toBe('web');
  });

  it('prints missing fields as <no value> and maps and slices as Go does', () => {
    expect(renderTemplate('{{.Nope}}', svc)).toBe('<no value>');
    expect(renderTemplate('{{.Spec.Labels}}', svc)).toBe('map[a:1 b:2]');
    expect(renderTemplate('{{.Spec.Ports}}', svc)).toBe('[80 443]');
    expect(printValue(null)).toBe('<nil>');
  });

  it('encodes json', () => {
    expect(renderTemplate('{{json .Spec.Labels}}', svc)).toBe('{"b":"2","a":"1"}');
    expect(renderTemplate('{{json .}}', { A: 1 })).toBe('{"A":1}');
    expect(renderTemplate('{{.Spec.Name | json}}', svc)).toBe('"web"');
  });

  it('runs if / else if / else and with', () => {
    const t = parseTemplate('{{if .Count}}some{{else if .ID}}id{{else}}none{{end}}');
    expect(t.execute(svc)).toBe('id');
    expect(t.execute({})).toBe('none');
    expect(renderTemplate('{{with .Spec}}{{.Name}}{{end}}', svc)).toBe('web');
    expect(renderTemplate('{{if eq .Spec.Name "web"}}yes{{end}}', svc)).toBe('yes');
    expect(renderTemplate('{{if not .Count}}zero{{end}}', svc)).toBe('zero');
  });

  it('ranges over slices and maps (sorted keys) with variables', () => {
    expect(renderTemplate('{{range .Spec.Ports}}<{{.}}>{{end}}', svc)).toBe('<80><443>');
    expect(renderTemplate('{{range $k, $v := .Spec.Labels}}{{$k}}={{$v}};{{end}}', svc)).toBe('a=1;b=2;');
    expect(renderTemplate('{{range .Nope}}x{{else}}empty{{end}}', svc)).toBe('empty');
    expect(renderTemplate('{{range $i, $p := .Spec.Ports}}{{$i}}:{{$p}} {{$.ID}} {{end}}', svc)).toBe(
      '0:80 abc 1:443 abc ',
    );
  });

  it('trims whitespace around {{- and -}}', () => {
    expect(renderTemplate('a  {{- .ID -}}  b', svc)).toBe('aabcb');
    expect(renderTemplate('x\n{{- if .ID }}\ny{{- end }}', svc)).toBe('x\ny');
  });

  it("has docker's helper functions", () => {
    expect(renderTemplate('{{join .Spec.Ports ","}}', svc)).toBe('80,443');
    expect(renderTemplate('{{upper .Spec.Name}} {{lower "AB"}} {{title "web app"}}', svc)).toBe(
      'WEB ab Web App',
    );
    expect(renderTemplate('{{index .Spec.Labels "a"}}', svc)).toBe('1');
    expect(renderTemplate('{{len .Spec.Ports}}', svc)).toBe('2');
    expect(renderTemplate('{{truncate .ID 2}}', svc)).toBe('ab');
    expect(renderTemplate('{{split "a,b" ","}}', svc)).toBe('[a b]');
    expect(renderTemplate('{{printf "%s-%d" .ID 3}}', svc)).toBe('abc-3');
    expect(renderTemplate('{{(index .Spec.Ports 1)}}', svc)).toBe('443');
  });

  it('reports syntax errors', () => {
    expect(() => parseTemplate('{{if .A}}x')).toThrow('template: unexpected EOF');
    expect(() => parseTemplate('{{.A')).toThrow('unclosed action');
    expect(() => renderTemplate('{{nosuch .A}}', {})).toThrow('function "nosuch" not defined');
  });
});
