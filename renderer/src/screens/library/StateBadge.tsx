/** A file's or segment's state: an icon and a word, never colour alone. */
import { Badge } from '@fluentui/react-components';
import { CheckmarkCircle16Regular, CircleHalfFill16Regular, DismissCircle16Regular, Circle16Regular } from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import type { FileState, SegmentState } from '../../../../shared/domain';

const LOOK: Record<FileState, { color: 'success' | 'warning' | 'danger' | 'informative'; icon: ReactElement; label: string }> = {
  uploaded: { color: 'success', icon: <CheckmarkCircle16Regular />, label: 'Uploaded' },
  partial: { color: 'warning', icon: <CircleHalfFill16Regular />, label: 'Partial' },
  missing: { color: 'danger', icon: <DismissCircle16Regular />, label: 'Missing' },
  indexed: { color: 'informative', icon: <Circle16Regular />, label: 'Indexed' },
};

export const STATE_LABELS: Record<FileState, string> = { uploaded: 'Uploaded', partial: 'Partial', missing: 'Missing', indexed: 'Indexed' };

export function StateBadge({ state }: { state: FileState | SegmentState }) {
  const look = LOOK[state];
  return (
    <Badge appearance="tint" color={look.color} icon={look.icon} shape="rounded">
      {look.label}
    </Badge>
  );
}
