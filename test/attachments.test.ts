import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BlobStore, FileBlobStore, S3BlobStore } from '../server/src/modules/attachments/blob-store.js';
import { cameraJpeg, tinyPdf, upload } from './support/evidence.js';
import { codes, superuser, TestHub, type Visit } from './support/hub.js';

let hub: TestHub;
let visit: Visit;
let findingId: string;
let s3: S3rver;
let s3Dir: string;
let s3Url: string;

const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const EVIDENCE = `query($id: ID!) { inspection(id: $id) {
  status viewerCanAddEvidence
  attachments { id findingId sha256 fileName mediaType size width height takenAt latitude longitude reason url thumbnailUrl uploadedBy viewerCanRemove }
  findings { id attachments { id sha256 } } } }`;
const RECORD = `mutation($i: ID!, $item: ID!) { recordFinding(inspectionId: $i, itemId: $item,
  input: { results: [NO_PROBLEM], followUp: NONE, method: ON_SITE }) { id } }`;

beforeAll(async () => {
  s3Dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'hub-s3-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: 'evidence', configs: [] }] });
  s3Url = `http://127.0.0.1:${(await s3.run()).port}`;
  hub = await TestHub.start();
  visit = await hub.visitWithTeam(['commerce.officer', 'market.officer']);
  const market = await hub.as('market.officer');
  const item = visit.items.find((i) => i.department.code === 'market')!;
  findingId = (await market.ok(RECORD, { i: visit.id, item: item.id })).recordFinding.id;
});
afterAll(async () => {
  await hub?.close();
  await s3?.close();
  if (s3Dir) await fsp.rm(s3Dir, { recursive: true, force: true });
});

/** The local S3-compatible server's bucket, as the hub's S3 back-end reaches it. */
const s3Store = () =>
  new S3BlobStore({
    endpoint: s3Url,
    region: 'us-east-1',
    bucket: 'evidence',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  });

async function download(url: string, token: string | null) {
  const res = await fetch(`${hub.url}${url}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

describe('evidence on a finding', () => {
  it('keeps a phone photo by its SHA-256 with its EXIF time and position, a thumbnail, and the hash in the audit', async () => {
    const market = await hub.as('market.officer');
    const photo = await cameraJpeg();
    const { status, body } = await upload(hub, market.token, visit.id, { name: '现场照片.jpg', data: photo }, { findingId });
    expect(status).toBe(201);
    expect(body.attachment).toMatchObject({ sha256: sha256(photo), mediaType: 'image/jpeg', size: photo.length, findingId });

    const { inspection } = await market.ok(EVIDENCE, { id: visit.id });
    const [row] = inspection.attachments;
    expect(row).toMatchObject({
      findingId,
      sha256: sha256(photo),
      fileName: '现场照片.jpg',
      width: 1600,
      height: 1200,
      // 10:15 China time, as the camera wrote it without a zone.
      takenAt: '2026-11-30T02:15:00.000Z',
      latitude: 30.5,
      longitude: 114.3,
      uploadedBy: expect.any(String),
      viewerCanRemove: true,
    });
    expect(inspection.findings.find((f: { id: string }) => f.id === findingId).attachments).toEqual([
      { id: row.id, sha256: sha256(photo) },
    ]);

    const original = await download(row.url, market.token);
    expect(original.status).toBe(200);
    expect(original.body.equals(photo)).toBe(true);
    expect(original.headers.get('content-type')).toBe('image/jpeg');
    expect(original.headers.get('x-content-sha256')).toBe(sha256(photo));
    const thumbnail = await download(row.thumbnailUrl, market.token);
    const meta = await sharp(thumbnail.body).metadata();
    expect(meta.format).toBe('webp');
    expect(Math.max(meta.width, meta.height)).toBe(320);

    const db = await superuser(hub.databaseUrl);
    const audit = await db.query(`select target, success from audit_log where operation = 'addAttachment' order by id desc limit 1`);
    const event = await db.query(`select department_ids, payload from event where type = 'EVIDENCE_CHANGED' order by seq desc limit 1`);
    await db.end();
    expect(audit.rows[0]).toEqual({ target: `inspectionId=${visit.id} sha256=${sha256(photo)}`, success: true });
    expect(event.rows[0].payload).toMatchObject({ inspectionId: Number(visit.id), sha256: sha256(photo), action: 'ADDED' });
  });

  it('applies a replayed upload once: the same file on the same finding is the same row', async () => {
    const market = await hub.as('market.officer');
    const photo = await cameraJpeg('#334455');
    const first = await upload(hub, market.token, visit.id, { name: 'a.jpg', data: photo }, { findingId });
    const again = await upload(hub, market.token, visit.id, { name: 'a.jpg', data: photo }, { findingId });
    expect(again.status).toBe(201);
    expect(again.body.attachment.id).toBe(first.body.attachment.id);
    const db = await superuser(hub.databaseUrl);
    const { rows } = await db.query('select count(*)::int as n from attachment where sha256 = $1', [sha256(photo)]);
    await db.end();
    expect(rows[0].n).toBe(1);
  });

  it('takes the time and place the phone read before resizing, when the file itself has none', async () => {
    const market = await hub.as('market.officer');
    const resized = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#101010' } })
      .png()
      .toBuffer();
    const { body } = await upload(
      hub,
      market.token,
      visit.id,
      { name: 'resized.png', data: resized },
      {},
      { 'x-taken-at': '2026-11-29T01:00:00Z', 'x-latitude': '35.49', 'x-longitude': '112.85' },
    );
    expect(body.attachment).toMatchObject({
      mediaType: 'image/png',
      findingId: null,
      takenAt: '2026-11-29T01:00:00.000Z',
      latitude: 35.49,
      longitude: 112.85,
    });
  });

  it('judges files by content and names the file and the reason when it refuses one', async () => {
    const market = await hub.as('market.officer');
    const refused = async (name: string, data: Buffer) => {
      const { status, body } = await upload(hub, market.token, visit.id, { name, data }, { findingId });
      expect(status, name).toBe(400);
      expect(body.error.code).toBe('BAD_USER_INPUT');
      expect(body.error.message).toContain(name);
      return body.error.message as string;
    };
    expect(await refused('空白.jpg', Buffer.alloc(0))).toMatch(/文件为空/);
    expect(await refused('说明.jpg', Buffer.from('这不是图片，只是文字'))).toMatch(/不是可接受的类型/);
    expect(await refused('zip.png', Buffer.from('504b0304140000000000', 'hex'))).toMatch(/不是可接受的类型/);
    const photo = await cameraJpeg('#998877');
    expect(await refused('半张.jpg', photo.subarray(0, Math.floor(photo.length / 2)))).toMatch(/图片已损坏/);
    const pdf = tinyPdf();
    expect(await refused('截断.pdf', pdf.subarray(0, 60))).toMatch(/PDF 文件不完整/);
    expect(await refused('过大.jpg', Buffer.concat([photo, Buffer.alloc(20 * 1024 * 1024)]))).toMatch(/超过 20 MB/);

    // A PDF named like a photo is stored as what it is.
    const { status, body } = await upload(hub, market.token, visit.id, { name: '营业执照.jpg', data: pdf }, { findingId });
    expect(status).toBe(201);
    expect(body.attachment.mediaType).toBe('application/pdf');
    const db = await superuser(hub.databaseUrl);
    const { rows } = await db.query(
      `select count(*)::int as n from attachment where file_name in ('空白.jpg', '说明.jpg', '半张.jpg', '过大.jpg')`,
    );
    await db.end();
    expect(rows[0].n).toBe(0);
  });

  it('lets only the visit’s team and lead department add, and its departments and referral recipients read', async () => {
    const photo = await cameraJpeg('#123456');
    expect((await upload(hub, null, visit.id, { name: 'x.jpg', data: photo })).status).toBe(401);
    const tax = await hub.as('tax.staff');
    const outsider = await upload(hub, tax.token, visit.id, { name: 'x.jpg', data: photo });
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.code).toBe('FORBIDDEN');
    // The police bureau takes part but its officer is not on this team.
    const police = await hub.as('police.staff');
    expect((await upload(hub, police.token, visit.id, { name: 'x.jpg', data: photo })).body.error.code).toBe('FORBIDDEN');
    const lead = await hub.as('commerce.staff');
    expect((await upload(hub, lead.token, visit.id, { name: '告知书.pdf', data: tinyPdf() })).status).toBe(201);

    const { inspection } = await (await hub.as('market.officer')).ok(EVIDENCE, { id: visit.id });
    const url = inspection.attachments[0].url as string;
    expect((await download(url, null)).status).toBe(401);
    expect((await download(url, tax.token)).status).toBe(403);
    expect((await download(url, police.token)).status).toBe(200);
    // A referral to the tax bureau lets it read the visit's evidence, and nothing more.
    const db = await superuser(hub.databaseUrl);
    await db.query(
      `insert into referral (finding_id, from_department_id, to_department_id, kind, description, due_on, status, created_by_id, created_at, version)
       select $1, d1.id, d2.id, 'NOTIFY', '抄告', current_date + 30, 'OPEN', u.id, now(), 1
       from department d1, department d2, app_user u where d1.code = 'market' and d2.code = 'tax' and u.username = 'market.staff'`,
      [findingId],
    );
    await db.end();
    const received = await download(url, tax.token);
    expect(received.status).toBe(200);
    expect(received.headers.get('x-content-sha256')).toBe(inspection.attachments[0].sha256);
    expect((await upload(hub, tax.token, visit.id, { name: 'x.jpg', data: photo })).status).toBe(403);
  });

  it('keeps evidence once the visit is submitted: no removal, additions only with a reason', async () => {
    const market = await hub.as('market.officer');
    const photo = await cameraJpeg('#abcdef');
    const { body } = await upload(hub, market.token, visit.id, { name: '待删.jpg', data: photo });
    const REMOVE = 'mutation($id: ID!) { removeAttachment(id: $id) { id sha256 } }';
    expect(codes(await (await hub.as('police.staff')).query(REMOVE, { id: body.attachment.id }))).toEqual(['FORBIDDEN']);
    expect((await market.ok(REMOVE, { id: body.attachment.id })).removeAttachment.sha256).toBe(sha256(photo));

    // The visit is submitted (the flow itself is tested in inspections.test.ts).
    const db = await superuser(hub.databaseUrl);
    await db.query(`update inspection set status = 'SUBMITTED' where id = $1`, [visit.id]);
    await db.end();

    const { inspection } = await market.ok(EVIDENCE, { id: visit.id });
    expect(inspection.status).toBe('SUBMITTED');
    expect(inspection.attachments.every((a: { viewerCanRemove: boolean }) => !a.viewerCanRemove)).toBe(true);
    const kept = inspection.attachments[0];
    const refused = await market.query(REMOVE, { id: kept.id });
    expect(codes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0].message).toMatch(/只能补充/);

    const later = await cameraJpeg('#fedcba');
    const noReason = await upload(hub, market.token, visit.id, { name: '补充.jpg', data: later }, { findingId });
    expect(noReason.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const withReason = await upload(
      hub,
      market.token,
      visit.id,
      { name: '补充.jpg', data: later },
      { findingId, reason: '复查时补拍整改前照片' },
    );
    expect(withReason.status).toBe(201);
    expect(withReason.body.attachment.reason).toBe('复查时补拍整改前照片');

    // Not even the hub's own database role can take it out behind the service's back.
    const app = await superuser(hub.appUrl);
    await expect(app.query('delete from attachment where id = $1', [kept.id])).rejects.toThrow(/cannot be removed/);
    await app.end();
  });
});

describe('the evidence store: one interface, two back-ends', () => {
  const stores: [string, () => Promise<BlobStore>][] = [
    ['file system', async () => new FileBlobStore(await fsp.mkdtemp(path.join(os.tmpdir(), 'hub-blobs-')))],
    ['S3-compatible object store', () => Promise.resolve(s3Store())],
  ];
  it.each(stores)('%s: stores by hash, reads back the same bytes, stores a file once', async (_name, open) => {
    const store = await open();
    const data = crypto.randomBytes(200_000);
    const hash = sha256(data);
    expect(await store.has(hash)).toBe(false);
    await store.put(hash, data, 'application/octet-stream');
    await store.put(hash, data, 'application/octet-stream');
    expect(await store.has(hash)).toBe(true);
    expect((await store.get(hash)).equals(data)).toBe(true);
    await expect(store.get(sha256(Buffer.from('absent')))).rejects.toThrow();
    await expect(store.put('../../etc/passwd', data, 'text/plain')).rejects.toThrow(/not a SHA-256/);
  });

  it('serves a hub configured for S3 (several instances share the bucket)', async () => {
    const s3Hub = await TestHub.start({
      env: {
        BLOB_STORE: 's3',
        S3_ENDPOINT: s3Url,
        S3_BUCKET: 'evidence',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      },
    });
    try {
      const [own] = await s3Hub.visitsWithTeam(['commerce.officer', 'market.officer'], 1);
      const officer = await s3Hub.as('commerce.officer');
      const photo = await cameraJpeg('#0f0f0f');
      const { status, body } = await upload(s3Hub, officer.token, own.id, { name: '门头.jpg', data: photo });
      expect(status).toBe(201);
      const direct = s3Store();
      expect((await direct.get(body.attachment.sha256)).equals(photo)).toBe(true);
      const res = await fetch(`${s3Hub.url}/api/attachments/${body.attachment.id}`, {
        headers: { authorization: `Bearer ${officer.token}` },
      });
      expect(Buffer.from(await res.arrayBuffer()).equals(photo)).toBe(true);
    } finally {
      await s3Hub.close();
    }
  });
});
