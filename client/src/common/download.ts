/** Fetches a file with the session's token and saves it; a refusal's message (Chinese) is thrown. */
export async function downloadFile(url: string, token: string, fileName: string): Promise<void> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(((await response.json()) as { error?: { message?: string } }).error?.message ?? '导出失败');
  saveBlob(await response.blob(), fileName);
}

/** Saves data made in the page as a file. */
export function saveBlob(blob: Blob, fileName: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(link.href);
}
