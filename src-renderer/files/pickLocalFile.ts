/**
 * Lets the user pick one or several local files (a model.json with its weights.bin) with the
 * browser's own file chooser (an `<input type=file>`), which works the same in Electron's sandboxed
 * renderer and in the web host; resolves an empty list when cancelled.
 *
 * @example
 * const files = await pickLocalFiles('.json,.bin');
 */
export function pickLocalFiles(accept: string): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.multiple = true;
    input.hidden = true;
    input.dataset.testid = 'local-file-input';
    const finish = (files: File[]) => {
      input.remove();
      resolve(files);
    };
    input.addEventListener('change', () => finish([...(input.files ?? [])]));
    input.addEventListener('cancel', () => finish([]));
    document.body.append(input);
    input.click();
  });
}

/** A file's bytes as base64, for the API (which carries JSON). */
export async function fileBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In chunks: String.fromCharCode takes only so many arguments at once.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
