import { z } from 'zod';
import { GraphDocument } from '../graph/schema';

/** A path as the user gave it: absolute, or relative to the workspace folder. */
const UserPath = z.string().min(1).max(4096);

export const FileEntry = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['file', 'folder']),
  modified: z.string(),
  size: z.number(),
});
export type FileEntry = z.infer<typeof FileEntry>;

export const RecentFile = z.object({ path: z.string(), name: z.string(), openedAt: z.string() });
export type RecentFile = z.infer<typeof RecentFile>;

export const RecoveryEntry = z.object({
  key: z.string(),
  name: z.string(),
  sourcePath: z.string().nullable(),
  savedAt: z.string(),
});
export type RecoveryEntry = z.infer<typeof RecoveryEntry>;

/** An open document's autosave key: the name of its file in the recovery folder. */
export const RecoveryKey = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** File channels: the workspace folder (web host's in-app browser), open/save, recent files, crash recovery. */
export const fileChannels = {
  'files.list': {
    request: z.object({ dir: UserPath.optional() }).strict(),
    response: z.object({ root: z.string(), dir: z.string(), entries: z.array(FileEntry) }),
  },
  'files.open': {
    request: z.object({ path: UserPath }).strict(),
    response: z.object({ path: z.string(), document: GraphDocument, migratedFrom: z.number().optional() }),
  },
  'files.save': {
    request: z.object({ path: UserPath, document: GraphDocument }).strict(),
    response: z.object({ path: z.string(), savedAt: z.string() }),
  },
  'files.recent': {
    request: z.object({}).strict(),
    response: z.object({ files: z.array(RecentFile) }),
  },
  /** Electron only: a native dialog. The web host answers with an error; the renderer uses its file browser. */
  'files.pickOpen': {
    request: z.object({}).strict(),
    response: z.object({ path: z.string().nullable() }),
  },
  'files.pickSave': {
    request: z.object({ suggestedName: z.string().max(200) }).strict(),
    response: z.object({ path: z.string().nullable() }),
  },
  'recovery.write': {
    request: z.object({ key: RecoveryKey, document: GraphDocument, sourcePath: z.string().nullable() }).strict(),
    response: z.object({ savedAt: z.string() }),
  },
  'recovery.list': {
    request: z.object({}).strict(),
    response: z.object({ entries: z.array(RecoveryEntry) }),
  },
  'recovery.read': {
    request: z.object({ key: RecoveryKey }).strict(),
    response: z.object({ document: GraphDocument, sourcePath: z.string().nullable(), savedAt: z.string() }),
  },
  'recovery.discard': {
    request: z.object({ key: RecoveryKey }).strict(),
    response: z.object({}),
  },
} as const;
