import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodType } from 'zod';
import { describeIssues, HttpError } from '@/lib/http-error';

export { HttpError };

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** Parses and validates the JSON body; a bad body is a 400/422 naming the field. */
  json<T>(schema: ZodType<T>): Promise<T>;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

const MAX_BODY_BYTES = 1_048_576;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, error.toBody(), error.headers);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Stop buffering but keep reading, so the client is still there to get the 413.
        req.removeAllListeners('data');
        req.resume();
        reject(new HttpError(413, 'payload_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`, { connection: 'close' }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export type FastHandler = (req: IncomingMessage, res: ServerResponse) => void;

export class Router {
  private routes: Route[] = [];
  private fastRoutes = new Map<string, FastHandler>();

  /** A synchronous handler for one exact path, any method, query ignored: for hot paths like the guard. */
  addFast(path: string, handler: FastHandler): this {
    this.fastRoutes.set(path, handler);
    return this;
  }

  fastHandler(rawUrl: string | undefined): FastHandler | undefined {
    if (this.fastRoutes.size === 0 || rawUrl === undefined) return undefined;
    const query = rawUrl.indexOf('?');
    return this.fastRoutes.get(query < 0 ? rawUrl : rawUrl.slice(0, query));
  }

  add(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/:([a-zA-Z]+)/g, (_, key: string) => {
        keys.push(key);
        return '([^/]+)';
      })}$`,
    );
    this.routes.push({ method, pattern, keys, handler });
    return this;
  }

  /** Returns false when no route matched the path, so the caller can answer 404. */
  async handle(req: IncomingMessage, res: ServerResponse, onUnexpected: (error: unknown) => void): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://worker.local');
    const candidates = this.routes.filter((r) => r.pattern.test(url.pathname));
    if (candidates.length === 0) return false;
    const route = candidates.find((r) => r.method === req.method);
    try {
      if (!route) throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here`, { allow: candidates.map((r) => r.method).join(', ') });
      const match = route.pattern.exec(url.pathname)!;
      const params = Object.fromEntries(route.keys.map((key, i) => [key, decodeURIComponent(match[i + 1])]));
      const ctx: RequestContext = {
        req,
        res,
        url,
        params,
        async json(schema) {
          const text = await readBody(req);
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            throw new HttpError(400, 'invalid_json', 'request body is not valid JSON');
          }
          const result = schema.safeParse(parsed);
          if (!result.success) throw new HttpError(422, 'invalid_request', describeIssues(result.error.issues));
          return result.data;
        },
      };
      await route.handler(ctx);
    } catch (error) {
      if (error instanceof HttpError) {
        sendError(res, error);
      } else {
        onUnexpected(error);
        if (!res.headersSent) sendError(res, new HttpError(500, 'internal_error', 'the worker could not complete this request'));
      }
    }
    return true;
  }
}
