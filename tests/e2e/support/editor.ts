import { expect, type Locator, type Page } from '@playwright/test';

/** Drags a layer from the palette onto the canvas at page coordinates, as a person does. */
export async function dragLayer(page: Page, type: string, x: number, y: number): Promise<string> {
  const before = await page.locator('.svelte-flow__node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id')));
  await page.locator(`[data-testid=palette-item][data-layer-type="${type}"]`).dragTo(page.locator('.svelte-flow__pane'), {
    targetPosition: await paneOffset(page, x, y),
  });
  await expect(page.locator('.svelte-flow__node')).toHaveCount(before.length + 1);
  const after = await page.locator('.svelte-flow__node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id')));
  const added = after.find((id) => !before.includes(id));
  if (!added) throw new Error(`Dropping ${type} added no node`);
  return added;
}

async function paneOffset(page: Page, x: number, y: number) {
  const box = await page.locator('.svelte-flow__pane').boundingBox();
  if (!box) throw new Error('no canvas');
  return { x: x - box.x, y: y - box.y };
}

/** Drags a wire from a node's output handle to another node's input handle. */
export async function connectNodes(page: Page, sourceId: string, targetId: string): Promise<void> {
  const source = page.locator(`.svelte-flow__node[data-id="${sourceId}"] .svelte-flow__handle.source`).first();
  const target = page.locator(`.svelte-flow__node[data-id="${targetId}"] .svelte-flow__handle.target`).first();
  const from = await source.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error(`handles of ${sourceId} → ${targetId} not visible`);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 5 });
  await page.mouse.up();
}

export async function selectNode(page: Page, id: string): Promise<void> {
  await page.locator(`.svelte-flow__node[data-id="${id}"] [data-testid=node-name]`).click();
  await expect(page.getByTestId('inspector-name')).toHaveValue(id);
}

/** Types a param value into the inspector, as a person does. */
export async function setParam(page: Page, key: string, value: string): Promise<void> {
  const field = page.locator(`[data-testid=param-field][data-param="${key}"]`);
  const select = field.locator('select');
  if ((await select.count()) > 0) await select.selectOption(value);
  else {
    const input = field.locator('input');
    await input.fill(value);
    await input.press('Enter');
  }
}

/** The shape label of the edge from `source` to `target`. */
export function edgeLabel(page: Page, edgeId: string) {
  return page.locator(`[data-testid=edge-label][data-edge-id="${edgeId}"]`);
}

export async function edgeShapes(page: Page): Promise<string[]> {
  return page.locator('[data-testid=edge-label]').allTextContents();
}

/**
 * Opens the training panel from View › Training panel, as a person does, and fills the settings
 * given (Samples, Epochs); returns the panel.
 */
export async function openTrainingPanel(page: Page, settings: { samples?: number; epochs?: number } = {}): Promise<Locator> {
  await page.getByTestId('menu-view').click();
  await page.getByText('Training panel').click();
  const panel = page.getByTestId('training-panel');
  if (settings.samples !== undefined) await panel.getByTestId('train-samples').fill(String(settings.samples));
  if (settings.epochs !== undefined) await panel.getByTestId('train-epochs').fill(String(settings.epochs));
  return panel;
}

/** The canvas node of layer `id`. */
export function layerNode(page: Page, id: string): Locator {
  return page.locator(`.svelte-flow__node[data-id="${id}"] [data-testid=layer-node]`);
}

/**
 * Opens the app at `url` on its first-start document, LeNet-5, and collects the page's uncaught
 * errors (a test ends by expecting none).
 */
export async function openOnLeNet(page: Page, url: string): Promise<{ errors: string[] }> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await expect(page.getByTestId('document-title')).toContainText('LeNet');
  return { errors };
}
