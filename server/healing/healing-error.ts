/** An operator's request the engine refuses: a value with a code, answered with its status. */
export class HealingError extends Error {
  constructor(
    readonly code: 'not-found' | 'conflict' | 'forbidden' | 'bad-input',
    message: string,
  ) {
    super(message);
    this.name = 'HealingError';
  }
}
