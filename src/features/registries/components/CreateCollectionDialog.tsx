import { useId, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { Dialog } from '@/components/Dialog';
import { graphql } from '@/lib/graphql';
import { errorMessage } from '@/lib/errors';
import { nameProblem, newCollectionNameProblem } from '@/lib/names';
import { CollectionRow_ArtifactPortfolio } from './CollectionRow';

const CreateCollectionDialog_Create = graphql(
  `
    mutation CreateCollectionDialog_Create($input: CreateArtifactPortfolioInput!) {
      createArtifactPortfolio(input: $input) {
        artifactCollection {
          id
          project {
            id
            collectionCount
            linkedVersionCount
          }
          ...CollectionRow_ArtifactPortfolio
        }
      }
    }
  `,
  [CollectionRow_ArtifactPortfolio],
);

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The registry (its Project id). */
  projectId: string;
  /** The types the registry accepts, or null when it accepts all types. */
  types: string[] | null;
}

function splitTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
}

/** "Create collection": name, type (fixed from then on), description (the model card), tags. */
export default function CreateCollectionDialog({ open, onOpenChange, projectId, types }: Props) {
  const id = useId();
  const [{ fetching }, create] = useMutation(CreateCollectionDialog_Create);
  const [name, setName] = useState('');
  const [type, setType] = useState(types?.[0] ?? '');
  const [description, setDescription] = useState('');
  const [tagsText, setTagsText] = useState('');
  const [errors, setErrors] = useState<{ name?: string; type?: string; form?: string }>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = { name: newCollectionNameProblem(name.trim()) ?? undefined, type: nameProblem('type', type.trim()) ?? undefined };
    setErrors(found);
    if (found.name || found.type) return;
    const result = await create({ input: { projectId, name: name.trim(), type: type.trim(), description, tags: splitTags(tagsText) } });
    if (result.error) {
      const message = errorMessage(result.error);
      if (/collection name|collection named/i.test(message)) setErrors({ name: message });
      else if (/type/i.test(message)) setErrors({ type: message });
      else setErrors({ form: message });
      return;
    }
    if (result.data?.createArtifactPortfolio?.artifactCollection) onOpenChange(false);
  }

  const field = (key: 'name' | 'type') => ({
    'aria-invalid': Boolean(errors[key]),
    'aria-describedby': errors[key] ? `${id}-${key}-error` : undefined,
  });
  const error = (key: 'name' | 'type') =>
    errors[key] && (
      <p id={`${id}-${key}-error`} className="field__error" role="alert">
        {errors[key]}
      </p>
    );

  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Create collection" description="A collection holds linked versions of one type.">
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-name`}>
            Name
          </label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" autoFocus {...field('name')} />
          {error('name')}
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-type`}>
            Type
          </label>
          {types ? (
            <select id={`${id}-type`} value={type} onChange={(e) => setType(e.target.value)} {...field('type')}>
              {types.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          ) : (
            <input
              id={`${id}-type`}
              value={type}
              onChange={(e) => setType(e.target.value)}
              placeholder="e.g. model"
              autoComplete="off"
              {...field('type')}
            />
          )}
          <p className="field__help">Every version linked here must have this type. It cannot change later.</p>
          {error('type')}
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-description`}>
            Description (optional)
          </label>
          <textarea
            id={`${id}-description`}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            rows={4}
            placeholder="Markdown: the model card"
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-tags`}>
            Tags (optional)
          </label>
          <input
            id={`${id}-tags`}
            value={tagsText}
            onChange={(e) => setTagsText(e.target.value)}
            placeholder="e.g. vision, baseline"
            autoComplete="off"
          />
          <p className="field__help">Separate tags with commas.</p>
        </div>
        {errors.form && (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        )}
        <div className="actions">
          <button type="button" className="button" onClick={() => onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={fetching}>
            {fetching ? 'Creating…' : 'Create collection'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
