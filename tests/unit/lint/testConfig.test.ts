import { describe, expect, it } from 'vitest';
import playwrightConfig from '../../../playwright.config';
import vitestConfig from '../../../vitest.config';

// A committed `.only` would run one test and skip the rest while the suite stays green.
describe('the test runners refuse .only', () => {
  it('Playwright forbids test.only', () => {
    expect(playwrightConfig.forbidOnly).toBe(true);
  });
  it('Vitest does not allow it.only', () => {
    expect((vitestConfig as { test?: { allowOnly?: boolean } }).test?.allowOnly).toBe(false);
  });
});
