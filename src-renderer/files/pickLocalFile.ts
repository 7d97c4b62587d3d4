/** A file the user picked from their own disk: its name and text. */
export interface LocalTextFile {
  name: string;
  text: string;
}

/**
 * Lets the user pick a local file with the browser's own file chooser (an `<input type=file>`), which
 * works the same in Electron's sandboxed renderer and in the web host; resolves null when cancelled.
 *
 * @example
 * const picked = await pickLocalTextFile('.json,application/json');
 */
export function pickLocalTextFile(accept: string): Promise<LocalTextFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.hidden = true;
    input.dataset.testid = 'local-file-input';
    const finish = (result: LocalTextFile | null) => {
      input.remove();
      resolve(result);
    };
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) finish(null);
      else file.text().then((text) => finish({ name: file.name, text }), () => finish(null));
    });
    input.addEventListener('cancel', () => finish(null));
    document.body.append(input);
    input.click();
  });
}
