/**
 * The user's search language, parsed once into an engine-neutral tree.
 * Each engine renders the tree into its own syntax (FTS5 MATCH, tsquery), so user
 * input never reaches a full-text parser raw and a stray quote is never a syntax error.
 *
 *   dune 2021            both words (AND)
 *   "dune part two"      a phrase
 *   dun*                 a prefix
 *   dune OR arrakis      either (also `|`)
 *   -cam  NOT cam        without
 *   (a OR b) c           grouping
 */
import { LIMITS } from './limits';
import { invalidArgument } from './errors';

export type SearchNode =
  | { kind: 'term'; text: string; prefix: boolean }
  | { kind: 'phrase'; text: string }
  | { kind: 'and'; children: SearchNode[] }
  | { kind: 'or'; children: SearchNode[] }
  | { kind: 'not'; child: SearchNode };

export const MAX_QUERY_LENGTH = LIMITS.searchQuery;
export const MAX_QUERY_TERMS = 32;

type Token =
  | { type: 'word'; text: string; prefix: boolean; negated: boolean }
  | { type: 'phrase'; text: string; negated: boolean }
  | { type: 'or' | 'not' | 'open' | 'close' };

const WORDLIKE = /[\p{L}\p{N}]/u;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/u.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      tokens.push({ type: ch === '(' ? 'open' : 'close' });
      i++;
      continue;
    }
    if (ch === '|') {
      tokens.push({ type: 'or' });
      i++;
      continue;
    }
    if (ch === '-' && input[i + 1] === '(') {
      tokens.push({ type: 'not' });
      i++;
      continue;
    }
    let negated = false;
    if (ch === '-' && i + 1 < input.length && !/\s/u.test(input[i + 1] as string)) {
      negated = true;
      i++;
    }
    if (input[i] === '"') {
      const end = input.indexOf('"', i + 1);
      const text = input.slice(i + 1, end === -1 ? input.length : end);
      i = end === -1 ? input.length : end + 1;
      if (WORDLIKE.test(text)) tokens.push({ type: 'phrase', text: text.trim(), negated });
      continue;
    }
    let j = i;
    while (j < input.length && !/[\s()"|]/u.test(input[j] as string)) j++;
    let word = input.slice(i, j);
    i = j;
    if (!negated && word === 'OR') {
      tokens.push({ type: 'or' });
      continue;
    }
    if (!negated && (word === 'NOT' || word === 'AND')) {
      if (word === 'NOT') tokens.push({ type: 'not' });
      continue;
    }
    const prefix = word.endsWith('*');
    word = word.replace(/\*+$/u, '');
    if (WORDLIKE.test(word)) tokens.push({ type: 'word', text: word, prefix, negated });
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): SearchNode | null {
    const node = this.parseOr();
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private parseOr(): SearchNode | null {
    const children: SearchNode[] = [];
    const first = this.parseAnd();
    if (first) children.push(first);
    while (this.peek()?.type === 'or') {
      this.pos++;
      const next = this.parseAnd();
      if (next) children.push(next);
    }
    if (children.length === 0) return null;
    return children.length === 1 ? (children[0] as SearchNode) : { kind: 'or', children };
  }

  private parseAnd(): SearchNode | null {
    const children: SearchNode[] = [];
    for (;;) {
      const token = this.peek();
      if (!token || token.type === 'or' || token.type === 'close') break;
      const node = this.parseUnary();
      if (node) children.push(node);
    }
    if (children.length === 0) return null;
    return children.length === 1 ? (children[0] as SearchNode) : { kind: 'and', children };
  }

  private parseUnary(): SearchNode | null {
    const token = this.tokens[this.pos++] as Token;
    switch (token.type) {
      case 'not': {
        const next = this.peek();
        if (!next || next.type === 'or' || next.type === 'close') return null;
        const child = this.parseUnary();
        return child ? { kind: 'not', child } : null;
      }
      case 'open': {
        const inner = this.parseOr();
        if (this.peek()?.type === 'close') this.pos++;
        return inner;
      }
      case 'word': {
        const node: SearchNode = { kind: 'term', text: token.text, prefix: token.prefix };
        return token.negated ? { kind: 'not', child: node } : node;
      }
      case 'phrase': {
        const node: SearchNode = { kind: 'phrase', text: token.text };
        return token.negated ? { kind: 'not', child: node } : node;
      }
      default:
        // A stray `)` or `OR` with nothing around it carries no meaning; skip it.
        return null;
    }
  }
}

function countLeaves(node: SearchNode): number {
  switch (node.kind) {
    case 'term':
    case 'phrase':
      return 1;
    case 'not':
      return countLeaves(node.child);
    default:
      return node.children.reduce((sum, child) => sum + countLeaves(child), 0);
  }
}

/** True when the node can match something on its own (it is not only exclusions). */
export function hasPositive(node: SearchNode): boolean {
  switch (node.kind) {
    case 'term':
    case 'phrase':
      return true;
    case 'not':
      return false;
    case 'and':
      return node.children.some(hasPositive);
    case 'or':
      return node.children.every(hasPositive);
  }
}

function checkShape(node: SearchNode, insideNot: boolean): void {
  switch (node.kind) {
    case 'not':
      if (insideNot) throw invalidArgument('An exclusion cannot contain another exclusion (-(-word)); remove one of them.');
      checkShape(node.child, true);
      return;
    case 'or':
      if (!insideNot && !node.children.every(hasPositive)) {
        throw invalidArgument('Each side of OR needs a word to look for; put exclusions (-word) outside the OR.');
      }
      for (const child of node.children) checkShape(child, insideNot);
      return;
    case 'and':
      for (const child of node.children) checkShape(child, insideNot);
      return;
    default:
      return;
  }
}

export function parseSearchQuery(input: string): SearchNode {
  if (typeof input !== 'string') throw invalidArgument('The search query must be text.');
  if (input.length > MAX_QUERY_LENGTH) {
    throw invalidArgument(`The search is too long (${input.length} characters); use at most ${MAX_QUERY_LENGTH}.`);
  }
  // Control characters separate words: no name holds one, and FTS5 (a NUL ends its string
  // literal) and PostgreSQL (no NUL in text) would otherwise fail on them.
  const node = new Parser(tokenize(input.replace(/[\u0000-\u001f\u007f]/gu, ' '))).parse();
  if (!node) throw invalidArgument('Type at least one word, number or "phrase" to search for.');
  if (countLeaves(node) > MAX_QUERY_TERMS) {
    throw invalidArgument(`The search has too many words; use at most ${MAX_QUERY_TERMS}.`);
  }
  checkShape(node, false);
  if (!hasPositive(node)) {
    throw invalidArgument('A search needs at least one word to look for, not only words to leave out (-word).');
  }
  return node;
}
