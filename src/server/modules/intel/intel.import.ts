import { type Readable, Transform } from 'node:stream';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { AppError } from '../../errors.js';

/**
 * Streams the `objects` of a STIX bundle one at a time, so a bundle of any size costs the memory of its largest
 * object, not of the whole file. Yields nothing for a JSON document without `objects`; the caller decides what
 * that means. Malformed JSON and oversize input fail with a precise AppError.
 */
export async function* bundleObjects(
  source: Readable,
  maxBytes: number,
): AsyncGenerator<{ index: number; value: unknown }> {
  let bytes = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        done(new AppError('payload_too_large', `The bundle exceeds ${maxBytes} bytes`));
        return;
      }
      done(null, chunk);
    },
  });
  const pipeline = chain([
    source,
    limiter,
    parser({ streamValues: false }),
    pick({ filter: /^objects$/ }),
    streamArray(),
  ]);
  source.on('error', (e) => pipeline.destroy(e));
  try {
    for await (const item of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      yield { index: item.key, value: item.value };
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('bad_request', `The bundle is not valid JSON: ${(e as Error).message}`);
  } finally {
    pipeline.destroy();
  }
}
