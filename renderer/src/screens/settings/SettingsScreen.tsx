/**
 * Settings: theme, the data folder, the segment size for indexing, where .nzb files opened from
 * Explorer go, the database move policy and shared access, and the portable server.
 */
import { Button, Dropdown, Field, Input, MessageBar, MessageBarBody, Option, Radio, RadioGroup, Skeleton, SkeletonItem, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { FolderOpen20Regular } from '@fluentui/react-icons';
import { usePreferences, updatePreferences, type Preferences } from '../../app/preferences';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { useNotify } from '../../errors/notify';
import { useCollections } from '../../hooks/catalog';
import { useAppInfo } from '../../hooks/importing';
import { useDesktopInfo } from '../../hooks/settings';
import { MoveSettingsSection } from './MoveSettingsSection';
import { PortableServerSection } from './PortableServerSection';
import { SettingsSection } from './SettingsSection';
import { segmentSizeLabel, segmentSizeOptions } from './segment-sizes';

const useStyles = makeStyles({
  flat: { margin: 0 },
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`, maxWidth: '880px' },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end' },
  grow: { flexGrow: 1, minWidth: 0 },
  path: { fontFamily: tokens.fontFamilyMonospace },
  dropdown: { minWidth: '320px', maxWidth: '100%' },
  muted: { color: tokens.colorNeutralForeground2 },
});

const ASK = 'ask';

function DataFolderSection() {
  const styles = useStyles();
  const notify = useNotify();
  const desktop = useDesktopInfo();
  const host = useAppInfo();
  if (desktop) {
    const info = desktop.info.data;
    return (
      <SettingsSection title="Data folder" about="Where the catalog, its backups and the portable server live. A change takes effect the next time Strata starts; the catalog is not moved for you.">
        {desktop.info.error ? (
          <ErrorMessage error={desktop.info.error} />
        ) : !info ? (
          <Skeleton aria-label="Reading the data folder">
            <SkeletonItem size={32} />
          </Skeleton>
        ) : (
          <>
            <div className={styles.row}>
              <Field label={info.portable ? 'Data folder (portable copy)' : 'Data folder'} className={styles.grow}>
                <Input className={styles.path} value={info.dataDir} readOnly />
              </Field>
              <Button icon={<FolderOpen20Regular />} onClick={() => void desktop.choose().catch((e: unknown) => notify.error(e))}>
                Change…
              </Button>
            </div>
            {info.nextDataDir && (
              <MessageBar intent="info">
                <MessageBarBody>From the next start, Strata uses {info.nextDataDir}. Restart Strata to switch.</MessageBarBody>
              </MessageBar>
            )}
          </>
        )}
      </SettingsSection>
    );
  }
  return (
    <SettingsSection title="Data folder" about="The folder on the host’s machine that holds this catalog. It is chosen when the host starts (strata serve --data <folder>).">
      {host.error ? (
        <ErrorMessage error={host.error} onRetry={() => void host.refetch()} />
      ) : !host.data ? (
        <Skeleton aria-label="Reading the data folder">
          <SkeletonItem size={32} />
        </Skeleton>
      ) : (
        <Field label="Data folder on the host" hint={`Strata ${host.data.version}`}>
          <Input className={styles.path} value={host.data.dataDir} readOnly />
        </Field>
      )}
    </SettingsSection>
  );
}

export function SettingsScreen() {
  const styles = useStyles();
  const prefs = usePreferences();
  const collections = useCollections();
  const set = (patch: Partial<Preferences>): void => void updatePreferences(patch);
  const openInto = collections.data?.find((c) => c.id === prefs.openNzbCollectionId);
  return (
    <div className={styles.page}>
      <Title3 as="h2" className={styles.flat}>Settings</Title3>
      <SettingsSection title="Appearance">
        <RadioGroup value={prefs.theme} onChange={(_, d) => set({ theme: d.value as Preferences['theme'] })} aria-label="Theme">
          <Radio value="system" label="System (follows Windows)" />
          <Radio value="light" label="Light" />
          <Radio value="dark" label="Dark" />
        </RadioGroup>
      </SettingsSection>
      <DataFolderSection />
      <SettingsSection title="Indexing" about="When a local folder is indexed, each file is split into segments of this size and each segment is hashed. Use the article size your uploader posts with, so posting results attach segment for segment.">
        <Field label="Segment size">
          <Dropdown
            className={styles.dropdown}
            value={segmentSizeLabel(prefs.segmentBytes)}
            selectedOptions={[String(prefs.segmentBytes)]}
            onOptionSelect={(_, d) => d.optionValue && set({ segmentBytes: Number(d.optionValue) })}
          >
            {segmentSizeOptions(prefs.segmentBytes).map((n) => (
              <Option key={n} value={String(n)}>
                {segmentSizeLabel(n)}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </SettingsSection>
      <SettingsSection title="NZB files opened from Explorer" about="Double-clicking an .nzb file, or File › Import NZB… in the desktop app, imports it into this collection. Asked the first time when not set.">
        <Field label="Import into">
          <Dropdown
            className={styles.dropdown}
            value={openInto ? openInto.name : 'Ask the first time'}
            selectedOptions={[openInto ? String(openInto.id) : ASK]}
            onOptionSelect={(_, d) => set({ openNzbCollectionId: d.optionValue === ASK || !d.optionValue ? null : Number(d.optionValue) })}
          >
            <Option value={ASK}>Ask the first time</Option>
            {(collections.data ?? []).map((c) => (
              <Option key={c.id} value={String(c.id)} text={c.name}>
                {c.name}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </SettingsSection>
      <MoveSettingsSection />
      <PortableServerSection />
      <Text size={200} className={styles.muted}>
        Theme, segment size and the Explorer collection are kept for this window; the move settings belong to the catalog.
      </Text>
    </div>
  );
}
