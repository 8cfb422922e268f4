import { ConditionSyntaxError, tokenize, type Comparator, type ConditionToken } from './condition-tokens';

/** What a probe can report; each placeholder reads one of these. */
export const PLACEHOLDERS = ['STATUS', 'RESPONSE_TIME', 'BODY', 'CERTIFICATE_EXPIRATION', 'CONNECTED', 'DNS_RCODE', 'IP', 'PACKET_LOSS'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export type Operand =
  | { kind: 'placeholder'; name: Placeholder; path: (string | number)[]; column: number }
  | { kind: 'len'; of: Operand; column: number }
  | { kind: 'literal'; value: string | number | boolean | null; column: number };

export interface Condition {
  text: string;
  left: Operand;
  comparator: Comparator;
  right: Operand;
}

const KEYWORDS: Record<string, boolean | null> = { true: true, false: false, null: null };

/** A recursive-descent parser over the tokens: `operand comparator operand`, nothing is ever evaluated as code. */
class Parser {
  private at = 0;
  constructor(private readonly tokens: ConditionToken[]) {}

  private peek(): ConditionToken {
    return this.tokens[this.at];
  }

  private next(): ConditionToken {
    return this.tokens[this.at++];
  }

  private expect<T extends ConditionToken['type']>(type: T, what: string): Extract<ConditionToken, { type: T }> {
    const token = this.next();
    if (token.type !== type) throw new ConditionSyntaxError(token.column, `expected ${what}`);
    return token as Extract<ConditionToken, { type: T }>;
  }

  condition(text: string): Condition {
    const left = this.operand();
    const comparator = this.peek();
    if (comparator.type !== 'comparator') throw new ConditionSyntaxError(comparator.column, 'expected a comparator (==, !=, <, <=, >, >=)');
    this.next();
    const right = this.operand();
    const end = this.peek();
    if (end.type !== 'end') throw new ConditionSyntaxError(end.column, 'unexpected text after the condition');
    return { text, left, comparator: comparator.value, right };
  }

  private operand(): Operand {
    const token = this.next();
    switch (token.type) {
      case 'placeholder': {
        if (!(PLACEHOLDERS as readonly string[]).includes(token.name))
          throw new ConditionSyntaxError(token.column, `unknown placeholder [${token.name}] (${PLACEHOLDERS.map((p) => `[${p}]`).join(', ')})`);
        const path = this.path();
        if (path.length > 0 && token.name !== 'BODY') throw new ConditionSyntaxError(token.column, `only [BODY] takes a path, not [${token.name}]`);
        return { kind: 'placeholder', name: token.name as Placeholder, path, column: token.column };
      }
      case 'word':
        if (token.value === 'len' && this.peek().type === 'lparen') {
          this.next();
          const of = this.operand();
          this.expect('rparen', 'a closing ")"');
          return { kind: 'len', of, column: token.column };
        }
        return { kind: 'literal', value: token.value in KEYWORDS ? KEYWORDS[token.value] : token.value, column: token.column };
      case 'number':
      case 'string':
        return { kind: 'literal', value: token.value, column: token.column };
      case 'end':
        throw new ConditionSyntaxError(token.column, 'the condition ends too early: expected a value');
      default:
        throw new ConditionSyntaxError(token.column, 'expected a placeholder such as [STATUS], len(…), a number or a string');
    }
  }

  /** `.queue.depth`, `.items[0].name` after [BODY]. */
  private path(): (string | number)[] {
    const path: (string | number)[] = [];
    for (;;) {
      const token = this.peek();
      if (token.type === 'dot') {
        this.next();
        const key = this.next();
        if (key.type === 'word') path.push(key.value);
        else if (key.type === 'number' && Number.isInteger(key.value)) path.push(String(key.value));
        else throw new ConditionSyntaxError(key.column, 'expected a field name after "."');
      } else if (token.type === 'lbracket') {
        this.next();
        const index = this.next();
        if (index.type !== 'number' || !Number.isInteger(index.value) || index.value < 0)
          throw new ConditionSyntaxError(index.column, 'expected an index such as [0]');
        this.expect('rbracket', 'a closing "]"');
        path.push(index.value);
      } else return path;
    }
  }
}

export function parseCondition(text: string): Condition {
  return new Parser(tokenize(text)).condition(text);
}

/** The reason a condition does not parse, with a caret under the column; null when it does. */
export function conditionProblem(text: string): string | null {
  try {
    parseCondition(text);
    return null;
  } catch (error) {
    if (!(error instanceof ConditionSyntaxError)) throw error;
    return `${error.message}\n  ${text}\n  ${' '.repeat(error.column - 1)}^`;
  }
}
