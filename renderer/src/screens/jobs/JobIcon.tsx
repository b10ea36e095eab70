/** The icon of a job's kind, beside its title. */
import {
  Archive20Regular,
  ArrowExport20Regular,
  ArrowImport20Regular,
  ArrowReset20Regular,
  ArrowUpload20Regular,
  DatabaseArrowUp20Regular,
  FolderSearch20Regular,
  ShieldCheckmark20Regular,
  Wrench20Regular,
} from '@fluentui/react-icons';
import type { JobKind } from '../../jobs/job-store';

export const KIND_LABELS: Record<JobKind, string> = {
  import: 'Import',
  upload: 'Upload and import',
  index: 'Index',
  export: 'Export',
  backup: 'Backup',
  check: 'Check',
  repair: 'Repair',
  restore: 'Restore',
  migration: 'Database move',
};

export function JobIcon({ kind }: { kind: JobKind }) {
  const props = { 'aria-hidden': true } as const;
  switch (kind) {
    case 'import':
      return <ArrowImport20Regular {...props} />;
    case 'upload':
      return <ArrowUpload20Regular {...props} />;
    case 'index':
      return <FolderSearch20Regular {...props} />;
    case 'export':
      return <ArrowExport20Regular {...props} />;
    case 'backup':
      return <Archive20Regular {...props} />;
    case 'check':
      return <ShieldCheckmark20Regular {...props} />;
    case 'repair':
      return <Wrench20Regular {...props} />;
    case 'restore':
      return <ArrowReset20Regular {...props} />;
    case 'migration':
      return <DatabaseArrowUp20Regular {...props} />;
  }
}
