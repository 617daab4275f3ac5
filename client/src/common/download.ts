/** How far a download has come: bytes received, and the rows the server said it is writing (X-Export-Rows). */
export interface DownloadProgress {
  bytes: number;
  rows: number | null;
}

/**
 * Fetches a file with the session's token and saves it; a refusal's message (Chinese) is thrown.
 * A large export reports its progress as it streams in.
 */
export async function downloadFile(
  url: string,
  token: string,
  fileName: string,
  onProgress?: (progress: DownloadProgress) => void,
): Promise<void> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(((await response.json()) as { error?: { message?: string } }).error?.message ?? '导出失败');
  if (!onProgress || !response.body) return saveBlob(await response.blob(), fileName);
  const rowsHeader = response.headers.get('x-export-rows');
  const rows = rowsHeader === null ? null : Number(rowsHeader);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.byteLength;
    onProgress({ bytes, rows });
  }
  saveBlob(new Blob(chunks as BlobPart[], { type: response.headers.get('content-type') ?? undefined }), fileName);
}

/** Saves data made in the page as a file. */
export function saveBlob(blob: Blob, fileName: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(link.href);
}
