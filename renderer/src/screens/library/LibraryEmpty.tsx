/**
 * An empty catalog: what to do first. Stands in for the first-run greeting of the import
 * screen (screens/import/FirstRun.tsx) until that is on main.
 */
import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowImport20Regular, FolderAdd20Regular, Library20Regular } from '@fluentui/react-icons';
import { useNavigation } from '../../app/navigation';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalM, padding: `${tokens.spacingVerticalXXXL} ${tokens.spacingHorizontalXXXL}`, maxWidth: '640px' },
  icon: { fontSize: '40px', color: tokens.colorBrandForeground1 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
});

export function LibraryEmpty() {
  const styles = useStyles();
  const nav = useNavigation();
  return (
    <div className={styles.root}>
      <Library20Regular className={styles.icon} aria-hidden />
      <Text as="h2" size={600} weight="semibold">
        Your catalog is empty
      </Text>
      <Text>Import the NZB files of what you posted, or index a folder on this computer to record its files and segments. They appear here once imported.</Text>
      <div className={styles.actions}>
        <Button appearance="primary" icon={<ArrowImport20Regular />} onClick={() => nav.go('import')}>
          Import NZB files
        </Button>
        <Button icon={<FolderAdd20Regular />} onClick={() => nav.go('import')}>
          Index a folder
        </Button>
      </div>
    </div>
  );
}
