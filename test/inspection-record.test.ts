import crypto from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraJpeg, upload } from './support/evidence.js';
import { codes, TestHub, type Visit } from './support/hub.js';
import { pdfText } from './support/pdf-text.js';

let hub: TestHub;
let visit: Visit;

const SIGN = `mutation($i: ID!, $kind: SignerKind!, $image: String!, $name: String) {
  signInspectionRecord(inspectionId: $i, kind: $kind, image: $image, signerName: $name) { id kind signerName sha256 } }`;
const DETAIL = `query($id: ID!) { inspection(id: $id) { status recordSha256 recordUrl viewerCanSign
  enterprise { name uscc } officers { name certificateNo } items { item } signatures { kind signerName } } }`;

const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/** A signature as the pad sends it: a PNG data URL of a stroke. */
async function drawnSignature(): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120"><path d="M10 90 C 80 10, 160 110, 390 30" stroke="black" stroke-width="4" fill="none"/></svg>`;
  return `data:image/png;base64,${(await sharp(Buffer.from(svg)).png().toBuffer()).toString('base64')}`;
}

async function getRecord(token: string | null) {
  const res = await fetch(`${hub.url}/api/inspections/${visit.id}/record.pdf`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  hub = await TestHub.start();
  visit = await hub.visitWithTeam(['commerce.officer', 'market.officer', 'police.officer']);
});
afterAll(async () => hub?.close());

describe('现场检查记录 (the signed inspection record)', () => {
  it('takes the team’s and the enterprise’s signatures drawn on the phone, and refuses what is not one', async () => {
    const officer = await hub.as('commerce.officer');
    const image = await drawnSignature();
    expect((await officer.ok(SIGN, { i: visit.id, kind: 'OFFICER', image })).signInspectionRecord.signerName).toBeTruthy();
    const market = await hub.as('market.officer');
    await market.ok(SIGN, { i: visit.id, kind: 'OFFICER', image });
    const enterprise = await market.ok(SIGN, { i: visit.id, kind: 'ENTERPRISE', image, name: '王建国' });
    expect(enterprise.signInspectionRecord).toMatchObject({ kind: 'ENTERPRISE', signerName: '王建国' });
    // Signing again replaces the earlier signature.
    await market.ok(SIGN, { i: visit.id, kind: 'ENTERPRISE', image, name: '王建国' });

    const refused = async (variables: Record<string, unknown>, session = officer) =>
      await session.query(SIGN, { i: visit.id, ...variables });
    expect(codes(await refused({ kind: 'ENTERPRISE', image }))).toEqual(['BAD_USER_INPUT']);
    const jpeg = `data:image/png;base64,${(await cameraJpeg()).subarray(0, 2000).toString('base64')}`;
    const notPng = await refused({ kind: 'OFFICER', image: jpeg });
    expect(notPng.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'image' });
    expect(codes(await refused({ kind: 'OFFICER', image: '' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await refused({ kind: 'OFFICER', image }, await hub.as('tax.staff')))).toEqual(['FORBIDDEN']);

    const { inspection } = await officer.ok(DETAIL, { id: visit.id });
    expect(inspection.viewerCanSign).toBe(true);
    expect(inspection.signatures.map((s: { kind: string }) => s.kind).sort()).toEqual(['ENTERPRISE', 'OFFICER', 'OFFICER']);
  });

  it('prints a draft with the Chinese item names, the team’s certificates, evidence hashes and signatures', async () => {
    const officer = await hub.as('commerce.officer');
    const photo = await cameraJpeg('#445566');
    await upload(hub, officer.token, visit.id, { name: '经营场所门头.jpg', data: photo });
    const { inspection } = await officer.ok(DETAIL, { id: visit.id });
    const record = await getRecord(officer.token);
    expect(record.status).toBe(200);
    expect(record.headers.get('content-type')).toBe('application/pdf');
    expect(record.headers.get('x-record-final')).toBe('false');
    expect(record.headers.get('x-content-sha256')).toBe(sha256(record.body));
    const text = await pdfText(record.body);
    expect(text).toContain('现场检查记录');
    expect(text).toContain('草稿');
    expect(text).toContain(inspection.enterprise.name);
    expect(text).toContain(inspection.enterprise.uscc);
    for (const item of inspection.items as { item: string }[]) expect(text).toContain(item.item.slice(0, 20));
    for (const o of inspection.officers as { certificateNo: string }[]) expect(text).toContain(o.certificateNo);
    expect(text).toContain('经营场所门头.jpg');
    expect(text).toContain(sha256(photo));
    expect(text).toContain('王建国');

    expect((await getRecord(null)).status).toBe(401);
    expect((await getRecord((await hub.as('tax.staff')).token)).status).toBe(403);
  });

  it('keeps the finalised record and its hash with the visit; later prints are that same file', async () => {
    await hub.finalise([visit]);
    const officer = await hub.as('commerce.officer');
    const { inspection } = await officer.ok(DETAIL, { id: visit.id });
    expect(inspection.status).toBe('FINALISED');
    expect(inspection.recordSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(inspection.viewerCanSign).toBe(false);
    const first = await getRecord(officer.token);
    expect(first.headers.get('x-record-final')).toBe('true');
    expect(sha256(first.body)).toBe(inspection.recordSha256);
    const again = await getRecord((await hub.as('police.staff')).token);
    expect(again.body.equals(first.body)).toBe(true);
    const text = await pdfText(first.body);
    expect(text).toContain('已办结');
    expect(text).toContain('未发现问题');

    const late = await officer.query(SIGN, { i: visit.id, kind: 'OFFICER', image: await drawnSignature() });
    expect(codes(late)).toEqual(['CONFLICT']);
  });
});
