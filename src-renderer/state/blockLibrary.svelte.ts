import type { LibraryBlock, NetwrightApi } from '../../src-shared/api';
import { copyFragment } from '../../src-shared/editing/clipboard';
import type { Editor } from './editor.svelte';
import type { Notices } from './notices.svelte';

/** The user's saved blocks, shown in the palette; dropping one pastes its block into the document. */
export class BlockLibraryStore {
  blocks = $state<LibraryBlock[]>([]);

  constructor(
    private readonly api: NetwrightApi,
    private readonly notices: Notices,
  ) {}

  async refresh(): Promise<void> {
    try {
      this.blocks = (await this.api.invoke('blocks.list', {})).blocks;
    } catch {
      this.blocks = [];
    }
  }

  /** Saves the selected block node under a name. */
  async saveSelected(editor: Editor, name: string): Promise<boolean> {
    const fragment = copyFragment(editor.document, editor.selectedNodes);
    if (!fragment) return false;
    try {
      const saved = await this.api.invoke('blocks.save', { name, fragment });
      this.notices.show(`Saved “${saved.name}” to your block library.`, 'success');
      await this.refresh();
      return true;
    } catch (error) {
      this.notices.show(error instanceof Error ? error.message : String(error), 'error');
      return false;
    }
  }

  async remove(id: string): Promise<void> {
    await this.api.invoke('blocks.delete', { id }).catch(() => undefined);
    await this.refresh();
  }

  find(id: string): LibraryBlock | undefined {
    return this.blocks.find((b) => b.id === id);
  }
}
