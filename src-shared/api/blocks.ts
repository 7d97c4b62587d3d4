import { z } from 'zod';
import { ClipboardFragment } from '../editing/clipboard';

export const LibraryBlock = z.object({ id: z.string(), name: z.string(), fragment: ClipboardFragment, savedAt: z.string() });
export type LibraryBlock = z.infer<typeof LibraryBlock>;

/** The user's block library: blocks saved once, offered in the palette for every document. */
export const blockChannels = {
  'blocks.list': {
    request: z.object({}).strict(),
    response: z.object({ blocks: z.array(LibraryBlock) }),
  },
  'blocks.save': {
    request: z.object({ name: z.string().min(1).max(100), fragment: ClipboardFragment }).strict(),
    response: LibraryBlock,
  },
  'blocks.delete': {
    request: z.object({ id: z.string().min(1).max(100) }).strict(),
    response: z.object({}),
  },
} as const;
