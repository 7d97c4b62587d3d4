import { z } from 'zod';
import { GraphDocument } from '../graph/schema';
import { RunId } from '../runs/runId';

/** A layer's path in the run's graph, blocks expanded: 'conv1', or 'layer1_0/conv1' inside a block. */
const LayerPath = z.string().min(1).max(300);
const SampleIndex = z.number().int().min(0).max(9999);
/** A PNG as a data URL. */
const Png = z.string();

/** The test image a view was computed for. */
export const InspectSample = z.object({
  index: z.number().int(),
  /** How many test images there are to step through. */
  count: z.number().int(),
  label: z.number().int(),
  className: z.string(),
  /** The image as the model sees it (resized when the run resized it); '' for non-image data. */
  image: Png,
});
export type InspectSample = z.infer<typeof InspectSample>;

/** A layer the "Look inside" view can show. */
export const InspectLayer = z.object({ path: LayerPath, name: z.string(), type: z.string(), shape: z.array(z.number()) });
export type InspectLayer = z.infer<typeof InspectLayer>;

/** Receptive fields, and what a trained run's layers compute: feature maps, filters, Grad-CAM. */
export const inspectChannels = {
  'inspect.receptiveField': {
    request: z
      .object({
        document: GraphDocument,
        nodeId: z.string().min(1).max(100),
        unit: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
        sample: SampleIndex.default(0),
        /** A run whose trained weights (and graph) to use; absent or null: the document, untrained and seeded. */
        runId: RunId.nullable().optional(),
      })
      .strict(),
    response: z.object({
      /** [H, W] of the input image. */
      inputSize: z.tuple([z.number(), z.number()]),
      /** [H, W] of the layer's feature map. */
      mapSize: z.tuple([z.number(), z.number()]),
      field: z.object({ size: z.array(z.number()), jump: z.array(z.number()), start: z.array(z.number()) }),
      /** The theoretical window of the unit, clipped: [from, to) per axis. */
      window: z.object({ from: z.array(z.number()), to: z.array(z.number()) }),
      /** |∂unit/∂input| summed over the input's channels, scaled to 0..1, row-major H×W. */
      heat: z.array(z.number()),
      /** The input image as a PNG data URL. */
      image: z.string(),
      /** Where the input came from. */
      source: z.string(),
      /** Where the weights came from: 'untrained (seed 1)' or the run's name and checkpoint. */
      weights: z.string(),
      /** The channel of the unit whose field is shown: the one most active at it on this image. */
      channel: z.number().int(),
      /** Why the effective field is empty, when it is; null otherwise. */
      note: z.string().nullable(),
    }),
  },
  'inspect.featureMaps': {
    /** `layer` absent: the first layer with an image-shaped output. */
    request: z.object({ runId: RunId, layer: LayerPath.optional(), sample: SampleIndex.default(0) }).strict(),
    response: z.object({
      /** Every layer of the run's graph (blocks expanded) whose output can be shown. */
      layers: z.array(InspectLayer),
      layer: InspectLayer,
      /** All channels of the layer, even when fewer tiles are sent. */
      channels: z.number().int(),
      /** One tile per channel (at most 64), each scaled to its own range, colormapped. */
      tiles: z.array(z.object({ image: Png, min: z.number(), max: z.number() })),
      /** [H, W] of one tile. */
      tileSize: z.tuple([z.number(), z.number()]),
      note: z.string().nullable(),
      sample: InspectSample,
      checkpoint: z.string(),
    }),
  },
  'inspect.filters': {
    request: z.object({ runId: RunId }).strict(),
    response: z.object({
      /** The first convolution of the graph. */
      layer: InspectLayer,
      kernelSize: z.tuple([z.number(), z.number()]),
      inChannels: z.number().int(),
      outChannels: z.number().int(),
      /** Tiles are colour when the layer reads 3 channels, else the first input channel in grey (0 is mid-grey). */
      rgb: z.boolean(),
      /** One per filter (at most 64): the tile and its weights, [kh, kw, inChannels] row-major. */
      filters: z.array(z.object({ image: Png, weights: z.array(z.number()) })),
      note: z.string().nullable(),
      checkpoint: z.string(),
    }),
  },
  'inspect.gradCam': {
    /** `classId` absent or null: the predicted class. `layer` absent: the last convolution before the head. */
    /** `beforeRelu`: the weighted sum before Grad-CAM's ReLU, which shows where a layer speaks against the class too. */
    request: z.object({ runId: RunId, sample: SampleIndex.default(0), classId: z.number().int().min(0).max(100_000).nullable().optional(), layer: LayerPath.optional(), beforeRelu: z.boolean().optional() }).strict(),
    response: z.object({
      layer: InspectLayer,
      classId: z.number().int(),
      className: z.string(),
      predicted: z.number().int(),
      top: z.array(z.object({ classId: z.number().int(), className: z.string(), probability: z.number() })),
      /** Every class's name, by class id. */
      classNames: z.array(z.string()),
      /** Grad-CAM at the layer's [H, W], min–max scaled to 0..1 (1 = the strongest evidence), row-major. */
      heat: z.array(z.number()),
      mapSize: z.tuple([z.number(), z.number()]),
      /** The heat upsampled to the input's size, colormapped, transparent where it is weak: a PNG to lay over the image. */
      overlay: Png,
      inputSize: z.tuple([z.number(), z.number()]),
      sample: InspectSample,
      checkpoint: z.string(),
      /** The map shown is the one before the ReLU. */
      beforeRelu: z.boolean(),
      /** Grad-CAM (after its ReLU) is zero everywhere: nothing in the layer speaks for the class. */
      empty: z.boolean(),
      /** What the map shows when it is not the usual one: why it is empty, or how to read the map before the ReLU. */
      note: z.string().nullable(),
    }),
  },
} as const;
