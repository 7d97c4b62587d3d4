/** tfjs layer names live in src-shared so that the TF.js code exporter names layers exactly as the compiler does. */
export { LayerNamer, modelName, nameSegment } from '../../src-shared/export/tfjsNames';
