/** The words of a Gatus-style condition such as `len([BODY].items) > 0` or `[CERTIFICATE_EXPIRATION] > 72h`. */
export type ConditionToken =
  | { type: 'placeholder'; name: string; column: number }
  | { type: 'number'; value: number; column: number }
  | { type: 'string'; value: string; column: number }
  | { type: 'word'; value: string; column: number }
  | { type: 'comparator'; value: Comparator; column: number }
  | { type: 'dot' | 'lparen' | 'rparen' | 'lbracket' | 'rbracket'; column: number }
  | { type: 'end'; column: number };

export const COMPARATORS = ['==', '!=', '<=', '>=', '<', '>'] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** A condition that does not parse, with the 1-based column where reading stopped. */
export class ConditionSyntaxError extends Error {
  constructor(
    readonly column: number,
    readonly reason: string,
  ) {
    super(`column ${column}: ${reason}`);
    this.name = 'ConditionSyntaxError';
  }
}

// Units turn a literal into the placeholder's own unit: times in milliseconds, sizes in bytes.
const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  b: 1,
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
};

const PUNCTUATION: Record<string, 'dot' | 'lparen' | 'rparen' | 'lbracket' | 'rbracket'> = {
  '.': 'dot',
  '(': 'lparen',
  ')': 'rparen',
  ']': 'rbracket',
};

/** Splits a condition into tokens; a character no token can start with is an error at its column. */
export function tokenize(text: string): ConditionToken[] {
  const tokens: ConditionToken[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at];
    const column = at + 1;
    if (/\s/.test(char)) {
      at++;
      continue;
    }
    if (char === '[') {
      const placeholder = /^\[([A-Z_]+)\]/.exec(text.slice(at));
      if (placeholder) {
        tokens.push({ type: 'placeholder', name: placeholder[1], column });
        at += placeholder[0].length;
      } else {
        tokens.push({ type: 'lbracket', column });
        at++;
      }
      continue;
    }
    if (PUNCTUATION[char]) {
      tokens.push({ type: PUNCTUATION[char], column });
      at++;
      continue;
    }
    const comparator = COMPARATORS.find((c) => text.startsWith(c, at));
    if (comparator) {
      tokens.push({ type: 'comparator', value: comparator, column });
      at += comparator.length;
      continue;
    }
    if (char === '"' || char === "'") {
      const end = text.indexOf(char, at + 1);
      if (end < 0) throw new ConditionSyntaxError(column, 'this quote is never closed');
      tokens.push({ type: 'string', value: text.slice(at + 1, end), column });
      at = end + 1;
      continue;
    }
    const number = /^-?\d+(\.\d+)?([a-zA-Z]+)?/.exec(text.slice(at));
    if (number) {
      const unit = number[2]?.toLowerCase();
      if (unit !== undefined && UNITS[unit] === undefined)
        throw new ConditionSyntaxError(column + number[0].length - number[2].length, `unknown unit "${number[2]}" (ms, s, m, h, d, B, KB, MB, GB)`);
      tokens.push({ type: 'number', value: Number.parseFloat(number[0]) * (unit ? UNITS[unit] : 1), column });
      at += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(at));
    if (word) {
      tokens.push({ type: 'word', value: word[0], column });
      at += word[0].length;
      continue;
    }
    throw new ConditionSyntaxError(column, `unexpected "${char}"`);
  }
  tokens.push({ type: 'end', column: text.length + 1 });
  return tokens;
}
