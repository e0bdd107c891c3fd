import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

export interface UploadedFile {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

/**
 * Reads a multipart/form-data upload of one file and a few text fields (the route registers @fastify/multipart
 * with its limits). Problems name what was wrong: not multipart, too large, too many parts, no file.
 */
export async function readUpload(
  req: FastifyRequest,
  opts: { label: string; maxBytes: number },
): Promise<{ fields: Record<string, string>; file: UploadedFile }> {
  if (!req.isMultipart()) {
    throw new AppError('unsupported_media_type', `Send the ${opts.label} as multipart/form-data`);
  }
  const fields: Record<string, string> = {};
  let file: UploadedFile | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        file = { fileName: part.filename, mediaType: part.mimetype, content: await part.toBuffer() };
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError(
        'payload_too_large',
        `The ${opts.label} is larger than ${opts.maxBytes / 1024 / 1024} MiB`,
        { errors: [{ path: 'file', message: 'too large' }] },
      );
    }
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
      throw new AppError('bad_request', 'Send one file and only the documented fields');
    }
    throw e;
  }
  if (!file) {
    throw new AppError('validation', 'No file in the upload', {
      errors: [{ path: 'file', message: 'required' }],
    });
  }
  return { fields, file };
}

/** Sends a stored file as a download under a safe file name. */
export function sendDownload(reply: FastifyReply, name: string, type: string, body: string | Buffer) {
  return reply
    .type(type)
    .header('content-disposition', `attachment; filename="${name.replace(/[^\w.-]+/g, '_')}"`)
    .send(body);
}
