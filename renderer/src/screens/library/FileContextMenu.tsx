/** The context menu of the file table, opened at the pointer (or the focused row with the keyboard). */
import { Menu, MenuItem, MenuList, MenuPopover } from '@fluentui/react-components';
import { ArrowExportUp20Regular, Copy20Regular, Delete20Regular, Open20Regular } from '@fluentui/react-icons';
import { useMemo } from 'react';

export interface FileContextMenuProps {
  at: { x: number; y: number } | null;
  /** Files the actions apply to. */
  count: number;
  onClose: () => void;
  onOpen: () => void;
  onExport: () => void;
  onCopy: () => void;
  onDelete: () => void;
}

export function FileContextMenu({ at, count, onClose, onOpen, onExport, onCopy, onDelete }: FileContextMenuProps) {
  const target = useMemo(
    () => (at ? { getBoundingClientRect: () => ({ x: at.x, y: at.y, left: at.x, top: at.y, right: at.x, bottom: at.y, width: 0, height: 0 }) } : undefined),
    [at],
  );
  const many = count > 1;
  return (
    <Menu open={at !== null} onOpenChange={(_, d) => !d.open && onClose()} positioning={{ target, position: 'below', align: 'start' }}>
      <MenuPopover>
        <MenuList>
          <MenuItem icon={<Open20Regular />} onClick={onOpen} disabled={many}>
            Open
          </MenuItem>
          <MenuItem icon={<ArrowExportUp20Regular />} onClick={onExport}>
            {many ? `Export ${count} NZB files` : 'Export NZB'}
          </MenuItem>
          <MenuItem icon={<Copy20Regular />} onClick={onCopy}>
            Copy message-ids
          </MenuItem>
          <MenuItem icon={<Delete20Regular />} onClick={onDelete}>
            {many ? `Delete ${count.toLocaleString('en-US')} files…` : 'Delete…'}
          </MenuItem>
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
