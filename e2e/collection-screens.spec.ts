import { addCollectionTags } from '../seed/collections.js';
import { test } from './support/fixtures';
import { captureScreens } from './support/screens';

const CARD = `# ResNet-50 image classifier

A ResNet-50 trained on **ImageNet-1k** for 90 epochs, used by the photo tagging service.

## Evaluation

| split | top-1 | top-5 |
|-------|-------|-------|
| val   | 76.1% | 92.9% |
| test  | 75.8% | 92.7% |

## How to use it

1. Fetch the version holding \`production\`.
2. Resize inputs to 224×224 and normalize them.
3. Call the model:

\`\`\`python
import torch
model = torch.load("model.bin")
logits = model(images)
\`\`\`

> Retrain when the validation top-1 drops below 75%.
`;

test.use({
  seed: {
    prefix: 'vision',
    versions: 5,
    aliases: [['baseline'], ['production'], ['staging'], [], ['candidate']],
    protectedAliases: ['production'],
    description: CARD,
  },
});

test('screenshots: a collection and a linked version', async ({ browser, api, collection: seed }) => {
  test.setTimeout(240_000);
  await addCollectionTags(api, { registry: seed.registry, collection: seed.collection, tags: ['vision', 'resnet', 'imagenet'] });
  const version = `${seed.path}/production`;
  await captureScreens(browser, [
    // The model card's renderer loads last: once its content shows, the page is complete.
    { name: 'collection', path: seed.path, ready: (p) => p.getByRole('blockquote') },
    { name: 'collection-history', path: `${seed.path}?tab=history`, ready: (p) => p.getByRole('list', { name: 'Action history' }) },
    { name: 'version', path: version, ready: (p) => p.getByTestId('full-name') },
    { name: 'version-metadata', path: `${version}?tab=metadata`, ready: (p) => p.getByRole('row', { name: /^accuracy/ }) },
    { name: 'version-files', path: `${version}?tab=files`, ready: (p) => p.getByRole('row', { name: /model\.bin/ }) },
    { name: 'version-usage', path: `${version}?tab=usage`, ready: (p) => p.getByRole('region', { name: 'curl' }) },
  ]);
});
