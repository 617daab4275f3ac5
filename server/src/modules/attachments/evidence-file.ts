import exifr from 'exifr';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';

/** Largest evidence file: a phone's full-size photo or a scanned document stays well below. */
export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;

/** The types accepted, as their content shows them (never by the file's name). */
export const EVIDENCE_TYPES: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/heic': 'HEIC',
  'image/heif': 'HEIC',
  'application/pdf': 'PDF',
};

/** What a file turned out to be, with what the record shows of it. */
export interface EvidenceFacts {
  mediaType: string;
  width: number | null;
  height: number | null;
  /** EXIF DateTimeOriginal, where the camera wrote one. */
  takenAt: Date | null;
  latitude: number | null;
  longitude: number | null;
  /** A 320-px WebP for lists; none for PDFs and for images the server cannot decode (HEIC). */
  thumbnail: Buffer | null;
}

/** A file refused: the reason, said to the person who chose it. */
export class EvidenceRefusal extends Error {}

const THUMBNAIL_PX = 320;

/**
 * Checks a file by its content and reads what the record keeps of it: its real type (a PDF
 * called photo.jpg is refused), that an image decodes (a truncated one is refused), EXIF time
 * and position, and a thumbnail.
 */
export async function examineEvidence(data: Buffer): Promise<EvidenceFacts> {
  if (data.length === 0) throw new EvidenceRefusal('文件为空');
  if (data.length > MAX_EVIDENCE_BYTES) throw new EvidenceRefusal(`文件超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB`);
  const detected = await fileTypeFromBuffer(data);
  const mediaType = detected?.mime === 'image/heif' ? 'image/heic' : detected?.mime;
  if (!mediaType || !EVIDENCE_TYPES[mediaType]) {
    throw new EvidenceRefusal(
      `文件内容不是可接受的类型（${[...new Set(Object.values(EVIDENCE_TYPES))].join('、')}）${detected ? `，实际为 ${detected.mime}` : ''}`,
    );
  }
  const facts: EvidenceFacts = { mediaType, width: null, height: null, takenAt: null, latitude: null, longitude: null, thumbnail: null };
  if (mediaType === 'application/pdf') {
    // A PDF ends with its trailer; one cut off in transfer does not.
    if (!data.subarray(Math.max(0, data.length - 1024)).includes('%%EOF')) throw new EvidenceRefusal('PDF 文件不完整或已损坏');
    return facts;
  }
  Object.assign(facts, await exifFacts(data));
  if (mediaType === 'image/heic') return facts; // sharp's prebuilt libvips reads no HEIC: kept, shown without a thumbnail
  try {
    // failOn 'error' refuses a truncated image instead of decoding its first half.
    const image = sharp(data, { failOn: 'error' }).rotate();
    const { width, height } = await image.metadata();
    facts.width = width ?? null;
    facts.height = height ?? null;
    facts.thumbnail = await image.resize(THUMBNAIL_PX, THUMBNAIL_PX, { fit: 'inside' }).webp({ quality: 70 }).toBuffer();
  } catch {
    throw new EvidenceRefusal('图片已损坏，无法读取');
  }
  return facts;
}

/**
 * EXIF time and position. A camera writes local time without a zone unless it adds
 * OffsetTimeOriginal; without one it is read as China time (UTC+8), where these photos are taken.
 */
async function exifFacts(data: Buffer): Promise<Partial<EvidenceFacts>> {
  const [time, gps] = await Promise.all([
    exifr.parse(data, { reviveValues: false, pick: ['DateTimeOriginal', 'OffsetTimeOriginal'] }).catch(() => undefined) as Promise<
      { DateTimeOriginal?: string; OffsetTimeOriginal?: string } | undefined
    >,
    exifr.gps(data).catch(() => undefined) as Promise<{ latitude?: number; longitude?: number } | undefined>,
  ]);
  const stamp = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(time?.DateTimeOriginal?.trim() ?? '');
  const offset = /^[+-]\d{2}:\d{2}$/.test(time?.OffsetTimeOriginal ?? '') ? time!.OffsetTimeOriginal! : '+08:00';
  const takenAt = stamp ? new Date(`${stamp[1]}-${stamp[2]}-${stamp[3]}T${stamp[4]}:${stamp[5]}:${stamp[6]}${offset}`) : null;
  const coordinate = (value: number | undefined, limit: number) =>
    typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit ? value : null;
  return {
    takenAt: takenAt && !isNaN(takenAt.getTime()) ? takenAt : null,
    latitude: coordinate(gps?.latitude, 90),
    longitude: coordinate(gps?.longitude, 180),
  };
}
