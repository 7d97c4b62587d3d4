import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../src-shared/api/contract';
import { ClipboardFragment } from '../../src-shared/editing/clipboard';
import { upgradeRawFragment } from '../../src-shared/graph/parse';
import { CURRENT_DOCUMENT_VERSION } from '../../src-shared/graph/schema';
import { writeFileAtomic } from './atomicWrite';

export interface LibraryBlock {
  id: string;
  name: string;
  /** One 'Block' node with every definition it needs: dropping it is a paste. */
  fragment: ClipboardFragment;
  savedAt: string;
}

/** The user's own blocks, kept in the workspace and shown in the palette under "My blocks". */
export class BlockLibrary {
  constructor(private readonly dir: string) {}

  async list(): Promise<LibraryBlock[]> {
    await mkdir(this.dir, { recursive: true });
    const blocks: LibraryBlock[] = [];
    for (const name of await readdir(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const block = await this.load(path.join(this.dir, name)).catch(() => null);
      if (block) blocks.push(block);
    }
    return blocks.sort((a, b) => a.name.localeCompare(b.name));
  }

  async save(name: string, fragment: ClipboardFragment): Promise<LibraryBlock> {
    const blockNodes = fragment.nodes.filter((n) => n.type === 'Block');
    if (fragment.nodes.length !== 1 || blockNodes.length !== 1) {
      throw new ApiError('Select exactly one block to save it to the library (group layers into a block first with Ctrl+G).', 'invalid-request');
    }
    const id = slug(name);
    const block: LibraryBlock = { id, name, fragment, savedAt: new Date().toISOString() };
    // The document version its layers' params are written in: a later Netwright migrates them as it reads.
    await writeFileAtomic(path.join(this.dir, `${id}.json`), JSON.stringify({ ...block, documentVersion: CURRENT_DOCUMENT_VERSION }, null, 2));
    return block;
  }

  async remove(id: string): Promise<void> {
    await rm(path.join(this.dir, `${slug(id)}.json`), { force: true });
  }

  private async load(file: string): Promise<LibraryBlock | null> {
    const raw = JSON.parse(await readFile(file, 'utf8')) as Partial<LibraryBlock> & { documentVersion?: unknown };
    // Files from before documentVersion was written hold version 1 params.
    const version = typeof raw.documentVersion === 'number' ? raw.documentVersion : 1;
    const fragment = ClipboardFragment.safeParse(upgradeRawFragment(raw.fragment, version));
    if (!fragment.success || typeof raw.name !== 'string' || typeof raw.id !== 'string') return null;
    return { id: raw.id, name: raw.name, fragment: fragment.data, savedAt: typeof raw.savedAt === 'string' ? raw.savedAt : '' };
  }
}

/** A file-safe id from a block name: 'My Stem!' → 'my-stem'. */
function slug(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return cleaned || 'block';
}
