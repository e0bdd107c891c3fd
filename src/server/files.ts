import { createHash } from 'node:crypto';
import { AppError } from './errors.js';

/** Files people may attach (evidence, signed agreements): declared type → file name endings and first bytes. */
export const DOCUMENT_TYPES: Record<string, { ext: string[]; magic?: number[] }> = {
  'application/pdf': { ext: ['pdf'], magic: [0x25, 0x50, 0x44, 0x46] },
  'image/png': { ext: ['png'], magic: [0x89, 0x50, 0x4e, 0x47] },
  'image/jpeg': { ext: ['jpg', 'jpeg'], magic: [0xff, 0xd8, 0xff] },
  'text/plain': { ext: ['txt', 'log'] },
  'text/csv': { ext: ['csv'] },
  'application/json': { ext: ['json'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    ext: ['docx'],
    magic: [0x50, 0x4b, 0x03, 0x04],
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    ext: ['xlsx'],
    magic: [0x50, 0x4b, 0x03, 0x04],
  },
};

/**
 * Refuses a file whose declared type, name or first bytes are not those of an allowed document type, or which
 * is empty. `label` starts the messages ("Evidence", "The agreement document").
 */
export function checkDocumentFile(label: string, fileName: string, mediaType: string, content: Buffer): void {
  const type = DOCUMENT_TYPES[mediaType];
  const ext = fileName.split('.').pop()?.toLowerCase() ?? '';
  if (!type) {
    throw new AppError(
      'unsupported_media_type',
      `${label} of type ${mediaType} is not accepted; allowed: PDF, PNG, JPEG, text, CSV, JSON, DOCX, XLSX`,
      { errors: [{ path: 'file', message: `type ${mediaType} is not allowed` }] },
    );
  }
  if (!type.ext.includes(ext)) {
    throw new AppError(
      'unsupported_media_type',
      `The file name "${fileName}" does not match its type ${mediaType}`,
      {
        errors: [{ path: 'file', message: `expected a .${type.ext.join(' or .')} file` }],
      },
    );
  }
  if (type.magic && !type.magic.every((b, i) => content[i] === b)) {
    throw new AppError('unsupported_media_type', `The content of "${fileName}" is not a ${mediaType} file`, {
      errors: [{ path: 'file', message: 'content does not match the declared type' }],
    });
  }
  if (!content.length) {
    throw new AppError('validation', `The ${label.toLowerCase()} file is empty`, {
      errors: [{ path: 'file', message: 'empty' }],
    });
  }
}

export const sha256Hex = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');
