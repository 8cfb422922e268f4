import { connect, constants } from 'node:http2';
import type { GrpcModule } from '@/lib/healing/monitor-kinds-schema';
import { elapsedMs, failed, networkFailure, type ProbeResult } from './probe-result';

// grpc.health.v1.HealthCheckResponse.ServingStatus.
const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

/** HealthCheckRequest { string service = 1; } as protobuf, in a gRPC frame (flag byte, 4-byte length). */
export function healthCheckFrame(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  const message = name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a]), varint(name.length), name]);
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

/** The status field (1, varint) of HealthCheckResponse in the first gRPC frame; 0 (UNKNOWN) when absent. */
export function servingStatusOf(frame: Buffer): number | null {
  if (frame.length < 5) return null;
  const message = frame.subarray(5, 5 + frame.readUInt32BE(1));
  for (let at = 0; at + 1 < message.length;) {
    const tag = message[at];
    if (tag === 0x08) return message[at + 1] & 0x7f;
    // Any other field: skip a varint or a length-delimited value; stop at anything else.
    if ((tag & 7) === 0) {
      at++;
      while (at < message.length && message[at] & 0x80) at++;
      at++;
    } else if ((tag & 7) === 2) at += 2 + message[at + 1];
    else return null;
  }
  return 0;
}

/** grpc.health.v1.Health/Check over HTTP/2: SERVING is up, anything else (or a gRPC error) is down. */
export function probeGrpc(module: GrpcModule): Promise<ProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const session = connect(module.url);
    const done = (result: ProbeResult) => {
      session.close();
      session.destroy();
      resolve(result);
    };
    session.on('error', (error) => done(networkFailure(error, started)));
    session.setTimeout(module.timeoutSeconds * 1000, () => done(networkFailure(Object.assign(new Error('timeout'), { name: 'TimeoutError' }), started)));
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: '/grpc.health.v1.Health/Check',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    const chunks: Buffer[] = [];
    let httpStatus = 0;
    let trailers: Record<string, unknown> = {};
    stream.on('response', (headers) => {
      httpStatus = Number(headers[constants.HTTP2_HEADER_STATUS]);
      // A trailers-only answer carries grpc-status in the headers.
      if (headers['grpc-status'] !== undefined) trailers = headers;
    });
    stream.on('trailers', (headers) => (trailers = headers));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A refused connection cancels the stream first; its cause is the reason worth naming.
    stream.on('error', (error: Error) => done(networkFailure((error.cause ?? error) as NodeJS.ErrnoException, started)));
    stream.on('end', () => {
      const latencyMs = elapsedMs(started);
      const grpcStatus = Number(trailers['grpc-status'] ?? -1);
      if (httpStatus !== 200) return done(failed('http_status', `HTTP ${httpStatus}`, latencyMs, { status: httpStatus }));
      if (grpcStatus !== 0)
        return done(
          failed('probe_failed', `gRPC status ${grpcStatus}${trailers['grpc-message'] ? `: ${String(trailers['grpc-message'])}` : ''}`, latencyMs, {
            grpcStatus,
          }),
        );
      const serving = servingStatusOf(Buffer.concat(chunks));
      const name = serving === null ? 'unreadable' : (SERVING_STATUS[serving] ?? `status ${serving}`);
      const facts = { status: httpStatus, responseTimeMs: latencyMs, body: name };
      if (serving !== 1) return done({ ...failed('probe_failed', `health ${name}`, latencyMs, { servingStatus: serving }), facts });
      done({ ok: true, latencyMs, message: `SERVING in ${latencyMs} ms`, facts });
    });
    stream.end(healthCheckFrame(module.service));
  });
}
