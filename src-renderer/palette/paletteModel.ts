import { layerDefs } from '../../src-shared/layers/registry';
import { layerCategories, type LayerCategory, type LayerDef } from '../../src-shared/layers/types';

export interface PaletteSection {
  category: LayerCategory;
  label: string;
  color: string;
  layers: LayerDef[];
}

/** MIME type of a palette drag: the layer type travels as text. */
export const LAYER_DRAG_TYPE = 'application/x-netwright-layer';
/** MIME type of a drag from "My blocks": the library block's id travels. */
export const LIBRARY_DRAG_TYPE = 'application/x-netwright-library-block';

/** The palette groups from the registry, filtered by a search over name, type, category and doc. */
export function paletteSections(query: string): PaletteSection[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (def: LayerDef) => {
    const haystack = `${def.label} ${def.type} ${layerCategories[def.category].label} ${def.doc}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  };
  const sections: PaletteSection[] = [];
  for (const [category, info] of Object.entries(layerCategories) as [LayerCategory, { label: string; color: string }][]) {
    const layers = layerDefs.filter((def) => def.category === category && matches(def));
    if (layers.length > 0) sections.push({ category, label: info.label, color: info.color, layers });
  }
  return sections;
}
