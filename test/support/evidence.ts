import sharp from 'sharp';
import type { TestHub } from './hub.js';

/** A camera's JPEG: 1600×1200, taken 2026-11-30 10:15 China time at 30.5° N, 114.3° E. */
export async function cameraJpeg(shade = '#7a8b6c'): Promise<Buffer> {
  return sharp({ create: { width: 1600, height: 1200, channels: 3, background: shade } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'HubTest' },
      IFD2: { DateTimeOriginal: '2026:11:30 10:15:00' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 30/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '114/1 18/1 0/1' },
    })
    .toBuffer();
}

/** The smallest PDF a reader opens: one empty page. */
export function tinyPdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj ' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  );
}

/** POSTs a file as the hub's upload route takes it; returns the status and the JSON answer. */
export async function upload(
  hub: TestHub,
  token: string | null,
  inspectionId: string,
  file: { name: string; data: Buffer },
  query: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${hub.url}/api/inspections/${inspectionId}/attachments?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(file.name),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: new Uint8Array(file.data),
  });
  return { status: res.status, body: await res.json() };
}
