/**
 * A pattern whose repeated group itself repeats without bound, such as `(a+)+` or `(\w*)*`, can
 * take exponential time on one crafted log line (catastrophic backtracking), and a log line is
 * attacker-written text. Such nesting is refused; a bounded outer repeat (`(\d+\.){3}`) is fine.
 */
export function hasNestedUnboundedRepeat(source: string): boolean {
  // For each open group: whether anything repeating without bound was seen inside it.
  const stack: boolean[] = [];
  let unboundedJustClosed = false;
  for (let at = 0; at < source.length; at++) {
    const char = source[at];
    const closedGroupHadRepeat = unboundedJustClosed;
    unboundedJustClosed = false;
    if (char === '\\') {
      at++;
      continue;
    }
    if (char === '[') {
      // A class is one atom: skip to its end, honouring escapes.
      for (at++; at < source.length && source[at] !== ']'; at++) if (source[at] === '\\') at++;
      continue;
    }
    if (char === '(') stack.push(false);
    else if (char === ')') {
      unboundedJustClosed = stack.pop() ?? false;
      if (unboundedJustClosed && stack.length > 0) stack[stack.length - 1] = true;
    } else if (isUnboundedQuantifier(source, at)) {
      if (closedGroupHadRepeat) return true;
      if (stack.length > 0) stack[stack.length - 1] = true;
    }
  }
  return false;
}

function isUnboundedQuantifier(source: string, at: number): boolean {
  const char = source[at];
  if (char === '+' || char === '*') return true;
  return char === '{' && /^\{\d+,\}/.test(source.slice(at));
}
