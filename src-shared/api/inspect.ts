import { z } from 'zod';
import { GraphDocument } from '../graph/schema';

/** Receptive fields: the theoretical window of one unit and its effective field on a real input. */
export const inspectChannels = {
  'inspect.receptiveField': {
    request: z.object({ document: GraphDocument, nodeId: z.string().min(1).max(100), unit: z.tuple([z.number().int().min(0), z.number().int().min(0)]), sample: z.number().int().min(0).max(9999).default(0) }).strict(),
    response: z.object({
      /** [H, W] of the input image. */
      inputSize: z.tuple([z.number(), z.number()]),
      /** [H, W] of the layer's feature map. */
      mapSize: z.tuple([z.number(), z.number()]),
      field: z.object({ size: z.array(z.number()), jump: z.array(z.number()), start: z.array(z.number()) }),
      /** The theoretical window of the unit, clipped: [from, to) per axis. */
      window: z.object({ from: z.array(z.number()), to: z.array(z.number()) }),
      /** |∂unit/∂input| summed over channels, scaled to 0..1, row-major H×W. */
      heat: z.array(z.number()),
      /** The input image as a PNG data URL. */
      image: z.string(),
      /** Where the input came from. */
      source: z.string(),
    }),
  },
} as const;
