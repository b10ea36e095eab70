/** The "All states / Uploaded / Partial / …" picker the library and search both filter with. */
import { Dropdown, Option } from '@fluentui/react-components';
import { FILE_STATES, type FileState } from '../../../../shared/domain';
import { STATE_LABELS } from './StateBadge';

export interface StateFilterProps {
  state: FileState | null;
  onChange: (state: FileState | null) => void;
  /** The accessible name: what the filter does where it stands. */
  label: string;
  className?: string;
  size?: 'small' | 'medium';
}

export function StateFilter({ state, onChange, label, className, size }: StateFilterProps) {
  return (
    <Dropdown
      {...(className ? { className } : {})}
      {...(size ? { size } : {})}
      aria-label={label}
      value={state ? STATE_LABELS[state] : 'All states'}
      selectedOptions={[state ?? 'all']}
      onOptionSelect={(_, d) => onChange(d.optionValue && d.optionValue !== 'all' ? (d.optionValue as FileState) : null)}
    >
      <Option value="all">All states</Option>
      {FILE_STATES.map((s) => (
        <Option key={s} value={s}>
          {STATE_LABELS[s]}
        </Option>
      ))}
    </Dropdown>
  );
}
