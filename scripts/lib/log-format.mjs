// Turns the processes' JSON log lines into one readable line each for the terminal.
const LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'name', 'process', 'msg', 'v']);

export function formatLogLine(prefix, line) {
  if (!line.startsWith('{')) return `${prefix} ${line}`;
  try {
    const entry = JSON.parse(line);
    const time = new Date(entry.time ?? Date.now()).toISOString().slice(11, 19);
    const extra = Object.entries(entry)
      .filter(([key]) => !HIDDEN.has(key))
      .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`)
      .join(' ');
    return `${prefix} ${time} ${LEVELS[entry.level] ?? entry.level} ${entry.msg ?? ''}${extra ? `  ${extra}` : ''}`;
  } catch {
    return `${prefix} ${line}`;
  }
}
