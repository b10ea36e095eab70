/** Which collection an import goes into: one that exists, or a new one named here. */
import { LIMITS } from '../../../../shared/limits';
import { Dropdown, Field, Input, Option, OptionGroup, makeStyles, tokens } from '@fluentui/react-components';
import { useId } from 'react';
import type { Collection } from '../../../../shared/domain';
import { formatCount } from '../../../../shared/format';
import type { ImportTarget } from '../../hooks/importing';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'flex-end' },
  dropdown: { minWidth: '260px' },
  name: { minWidth: '220px' },
});

const NEW = '__new__';

export function CollectionPicker({
  collections,
  value,
  onChange,
  label = 'Into collection',
  newName,
}: {
  collections: readonly Collection[];
  value: ImportTarget;
  onChange: (target: ImportTarget) => void;
  label?: string;
  /** The name a new collection starts with. */
  newName: string;
}) {
  const styles = useStyles();
  const nameId = useId();
  const selected = value.kind === 'existing' ? String(value.id) : NEW;
  const shown = value.kind === 'existing' ? value.name : 'New collection…';
  const clash = value.kind === 'new' && collections.some((c) => c.name.toLowerCase() === value.name.trim().toLowerCase());
  return (
    <div className={styles.row}>
      <Field label={label}>
        <Dropdown
          className={styles.dropdown}
          value={shown}
          selectedOptions={[selected]}
          onOptionSelect={(_, d) => {
            if (d.optionValue === NEW) onChange({ kind: 'new', name: value.kind === 'new' ? value.name : newName });
            else {
              const c = collections.find((x) => String(x.id) === d.optionValue);
              if (c) onChange({ kind: 'existing', id: c.id, name: c.name });
            }
          }}
        >
          {collections.length > 0 && (
            <OptionGroup label="Collections">
              {collections.map((c) => (
                <Option key={c.id} value={String(c.id)} text={c.name}>
                  {c.name} ({formatCount(c.fileCount)} files)
                </Option>
              ))}
            </OptionGroup>
          )}
          <Option value={NEW} text="New collection…">
            New collection…
          </Option>
        </Dropdown>
      </Field>
      {value.kind === 'new' && (
        <Field
          label="Name of the new collection"
          validationState={value.name.trim() === '' ? 'error' : clash ? 'warning' : 'none'}
          validationMessage={value.name.trim() === '' ? 'Give the collection a name.' : clash ? 'A collection has this name: the files go into it.' : undefined}
        >
          <Input id={nameId} className={styles.name} value={value.name} maxLength={LIMITS.collectionName} onChange={(_, d) => onChange({ kind: 'new', name: d.value })} />
        </Field>
      )}
    </div>
  );
}

/** A target that can be used: an existing collection, or a new one with a name. */
export function targetReady(target: ImportTarget): boolean {
  return target.kind === 'existing' || target.name.trim() !== '';
}
