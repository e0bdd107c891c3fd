import { customType } from 'drizzle-orm/pg-core';

/**
 * A bytea column (drizzle-orm 0.45 has none). PGlite hands back a Uint8Array, node-postgres a Buffer: the server
 * sees a Buffer either way. Files kept this way travel with exports and backups.
 */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});
