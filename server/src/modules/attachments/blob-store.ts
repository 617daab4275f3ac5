import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/**
 * Where evidence files live, addressed by the SHA-256 of their content: the same photo uploaded
 * twice is stored once, and a file read back can be checked against the hash in the record.
 * Two back-ends behind this one interface: the file system (one instance) and an S3-compatible
 * object store (several instances share it).
 */
export interface BlobStore {
  /** Stores the bytes under their hash (a no-op when they are there already). */
  put(sha256: string, data: Buffer, mediaType: string): Promise<void>;
  /** The bytes stored under the hash; throws when there are none. */
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  /** For the start-up log: which store, where. */
  readonly description: string;
}

export function sha256Of(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function checkHash(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
  return sha256;
}

/** Files under DATA_DIR/blobs/ab/cd/<hash>, written to a temporary name and renamed (never half a file). */
export class FileBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  get description() {
    return `file system: ${this.root}`;
  }

  private pathOf(sha256: string) {
    checkHash(sha256);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(sha256: string, data: Buffer): Promise<void> {
    const file = this.pathOf(sha256);
    if (await this.has(sha256)) return;
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${crypto.randomUUID()}.part`;
    await fsp.writeFile(temporary, data, { mode: 0o640 });
    await fsp.rename(temporary, file);
  }

  async get(sha256: string): Promise<Buffer> {
    return fsp.readFile(this.pathOf(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    return fsp.access(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }
}

export interface S3Settings {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Path-style URLs (MinIO and most self-hosted stores need them). */
  forcePathStyle: boolean;
}

/** Objects `sha256/<hash>` in one bucket; the store checks the upload against its SHA-256 too. */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      // Checksums only where S3 requires them: many S3-compatible stores reject the SDK's newer defaults.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials:
        settings.accessKeyId && settings.secretAccessKey
          ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
          : undefined,
    });
  }

  get description() {
    return `S3: ${this.settings.endpoint ?? 'aws'} bucket ${this.settings.bucket}`;
  }

  private key(sha256: string) {
    return `sha256/${checkHash(sha256)}`;
  }

  async put(sha256: string, data: Buffer, mediaType: string): Promise<void> {
    if (await this.has(sha256)) return;
    await this.client.send(
      new PutObjectCommand({ Bucket: this.settings.bucket, Key: this.key(sha256), Body: data, ContentType: mediaType }),
    );
  }

  async get(sha256: string): Promise<Buffer> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.key(sha256) }));
    if (!object.Body) throw new Error(`object ${sha256} has no body`);
    return Buffer.from(await object.Body.transformToByteArray());
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.key(sha256) }));
      return true;
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return false;
      throw error;
    }
  }

  destroy() {
    this.client.destroy();
  }
}

export function openBlobStore(config: { kind: 'file'; dir: string } | ({ kind: 's3' } & S3Settings)): BlobStore {
  return config.kind === 'file' ? new FileBlobStore(config.dir) : new S3BlobStore(config);
}
