import { describe, expect, it } from 'vitest';
import { staleDeploymentFiles } from '../scripts/deploy/generate.ts';

describe('deployment files generated from the route table', () => {
  it('are current: npm run generate:deploy reproduces every committed one byte for byte', async () => {
    expect(await staleDeploymentFiles()).toEqual([]);
  });
});
