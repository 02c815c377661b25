import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
// s3rver is CommonJS without types of its own.
// @ts-expect-error no declaration file
import S3rver from 's3rver';
import { freePort } from './free-port.js';

export interface TestS3 {
  env: Record<string, string>;
  settings: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean };
  close(): Promise<void>;
}

/** A real S3-protocol server (s3rver) on loopback, with one empty bucket. */
export async function startTestS3(): Promise<TestS3> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'hoclieu-s3-'));
  const port = await freePort();
  const bucket = 'hoclieu-test';
  const server = new S3rver({ port, address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: bucket }] });
  await server.run();
  const settings = { endpoint: `http://127.0.0.1:${port}`, bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true };
  return {
    settings,
    env: {
      S3_ENDPOINT: settings.endpoint, S3_BUCKET: bucket, S3_REGION: settings.region, S3_ACCESS_KEY_ID: settings.accessKeyId,
      S3_SECRET_ACCESS_KEY: settings.secretAccessKey, S3_FORCE_PATH_STYLE: 'true',
    },
    async close() {
      await server.close();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}
