/**
 * A structural LogQL checker for the queries we ship (dashboard, alert rules, docs). It is not a
 * LogQL parser: it tokenises, checks brackets and quotes, and checks every name it can classify
 * (stream-selector labels, label filters, grouping labels, keep/drop lists, functions, ranges,
 * Grafana variables) against what our records really carry in Loki.
 */
import { DEFAULT_ATTRIBUTE_KEYS } from '../../src/core/attributes.ts';

/** Our attributes as Loki names them: dots become underscores. */
export const OUR_LABELS: readonly string[] = Object.values(DEFAULT_ATTRIBUTE_KEYS).map((key) =>
  key.replace(/\./g, '_'),
);

/** Index labels the queries may select streams by (Loki's default for the service.name resource attribute). */
export const INDEX_LABELS: readonly string[] = ['service_name'];

const FUNCTIONS = new Set([
  // range aggregations
  'count_over_time',
  'rate',
  'bytes_over_time',
  'bytes_rate',
  'sum_over_time',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'first_over_time',
  'last_over_time',
  'absent_over_time',
  'quantile_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  // vector aggregations and functions
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'sort',
  'sort_desc',
  'label_replace',
  'vector',
]);
const GROUPING = new Set(['by', 'without']);
const STAGES = new Set(['json', 'logfmt', 'pattern', 'regexp', 'unpack', 'decolorize', 'line_format', 'label_format']);
const NAME_LISTS = new Set(['keep', 'drop']);
const MATCHERS = new Set(['=', '!=', '=~', '!~']);
const COMPARISONS = new Set([...MATCHERS, '==', '>', '<', '>=', '<=']);
/** Grafana's built-in variables that may appear in queries. */
export const GRAFANA_BUILTINS: readonly string[] = ['__range', '__interval', '__auto', '__rate_interval'];

type Kind = 'string' | 'ident' | 'number' | 'op' | 'open' | 'close' | 'comma';
interface Token {
  kind: Kind;
  text: string;
}

const OPERATORS = ['|=', '|~', '!=', '!~', '=~', '==', '>=', '<=', '=', '>', '<', '|', '+', '-', '*', '/', '%', '^'];
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Grafana variables used in a query: `$name`, `${name}`, `${name:format}`. */
export function variablesIn(query: string): string[] {
  return [...query.matchAll(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g)].map((m) => (m[1] ?? m[2]) as string);
}

function tokenize(query: string, problems: string[]): Token[] {
  const tokens: Token[] = [];
  const stack: string[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      while (j < query.length && query[j] !== c) j += c === '"' && query[j] === '\\' ? 2 : 1;
      if (j >= query.length) {
        problems.push(`unterminated string at ${i}`);
        return tokens;
      }
      tokens.push({ kind: 'string', text: query.slice(i + 1, j) });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(query.slice(i))?.[0] as string;
      i += name.length;
      if (query[i] === '.' && /[A-Za-z_]/.test(query[i + 1] ?? ''))
        problems.push(`dotted name "${name}.…": Loki uses _`);
      tokens.push({ kind: 'ident', text: name });
    } else if (/[0-9]/.test(c)) {
      const number = /^[0-9][0-9a-z.]*/.exec(query.slice(i))?.[0] as string;
      i += number.length;
      tokens.push({ kind: 'number', text: number });
    } else if ('([{'.includes(c)) {
      stack.push(c);
      tokens.push({ kind: 'open', text: c });
      i++;
    } else if (')]}'.includes(c)) {
      if (stack.pop() !== PAIRS[c]) problems.push(`unbalanced "${c}" at ${i}`);
      tokens.push({ kind: 'close', text: c });
      i++;
    } else if (c === ',') {
      tokens.push({ kind: 'comma', text: c });
      i++;
    } else {
      const op = OPERATORS.find((o) => query.startsWith(o, i));
      if (!op) {
        problems.push(`unexpected "${c}" at ${i}`);
        return tokens;
      }
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    }
  }
  if (stack.length > 0) problems.push(`unclosed "${stack.join('')}"`);
  return tokens;
}

/** Names in a `(a, b)` or `a, b` list starting at `start`; returns them and the index after the list. */
function nameList(tokens: Token[], start: number): { names: string[]; next: number } {
  const names: string[] = [];
  let i = tokens[start]?.text === '(' ? start + 1 : start;
  while (tokens[i]?.kind === 'ident') {
    names.push(tokens[i]?.text as string);
    if (tokens[i + 1]?.kind !== 'comma') return { names, next: i + 1 };
    i += 2;
  }
  return { names, next: i };
}

function checkSelector(tokens: Token[], open: number, problems: string[]): number {
  let i = open + 1;
  let matchers = 0;
  while (tokens[i]?.text !== '}') {
    const [label, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (label?.kind !== 'ident' || !MATCHERS.has(op?.text ?? '') || value?.kind !== 'string') {
      problems.push('stream selector must be label matchers such as {service_name="x"}');
      return i;
    }
    if (!INDEX_LABELS.includes(label.text))
      problems.push(
        `stream selector uses "${label.text}", which is not an index label (structured metadata is filtered after "|")`,
      );
    matchers++;
    i += 3;
    if (tokens[i]?.kind === 'comma') i++;
  }
  if (matchers === 0) problems.push('empty stream selector');
  return i;
}

/** Problems found in one query (empty when it passes); `variables` are the names it may use. */
export function checkLogql(query: string, variables: readonly string[]): string[] {
  const problems: string[] = [];
  for (const name of variablesIn(query))
    if (!variables.includes(name) && !GRAFANA_BUILTINS.includes(name)) problems.push(`undefined variable $${name}`);
  const tokens = tokenize(query.replace(/\$\{\w+(?::\w+)?\}|\$\w+/g, '1m'), problems);
  if (problems.length > 0) return problems;
  if (!tokens.some((t) => t.text === '{')) problems.push('no stream selector {…}');
  const labels = [...INDEX_LABELS, ...OUR_LABELS];
  const checkName = (name: string, where: string) => {
    if (!labels.includes(name)) problems.push(`${where} "${name}" is not one of our labels (${labels.join(', ')})`);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const next = tokens[i + 1];
    if (token.text === '{' && token.kind === 'open') {
      i = checkSelector(tokens, i, problems);
    } else if (token.kind === 'ident' && GROUPING.has(token.text) && next?.text === '(') {
      const { names } = nameList(tokens, i + 1);
      for (const name of names) checkName(name, `grouping label`);
    } else if (token.kind === 'ident' && next?.text === '(' && !FUNCTIONS.has(token.text)) {
      problems.push(`unknown function "${token.text}"`);
    } else if (token.text === '[' && token.kind === 'open') {
      if (!/^[0-9]+(ms|s|m|h|d|w|y)$/.test(next?.text ?? '') || tokens[i + 2]?.text !== ']')
        problems.push('range must be a duration such as [5m]');
    } else if (token.text === '|' && next?.kind === 'ident') {
      if (NAME_LISTS.has(next.text)) {
        for (const name of nameList(tokens, i + 2).names) checkName(name, `${next.text} label`);
      } else if (!STAGES.has(next.text)) {
        checkName(next.text, 'label filter');
        if (!COMPARISONS.has(tokens[i + 2]?.text ?? ''))
          problems.push(`label filter "${next.text}" needs a comparison`);
      }
    }
  }
  return problems;
}
