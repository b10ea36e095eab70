/** What the settings screen reads and changes: the manager's move policy, the portable server, the desktop's data folder. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useApi, useDesktop } from '../api/ApiContext';
import { useRead, useWrite } from '../api/calls';
import { useManagerStatus } from './manager';

export function useManagerSettings() {
  const status = useManagerStatus();
  const write = useWrite('manager/settings');
  return { settings: status.data?.settings ?? null, error: status.error, loading: status.isLoading, update: write };
}

/** The portable server's status with the password masked; `connectionString()` fetches it unmasked, for copying. */
export function usePortableServer(reveal: boolean) {
  const api = useApi();
  const status = useRead('server/portable-status', reveal ? { reveal: true } : {}, { refetchInterval: 15_000 });
  const connectionString = useCallback(async (): Promise<string | null> => (await api['server/portable-status']({ reveal: true })).connectionString, [api]);
  return { status, connectionString };
}

/** The desktop app's data folder (and the one chosen for the next start); null in a browser. */
export function useDesktopInfo() {
  const desktop = useDesktop();
  const queries = useQueryClient();
  const info = useQuery({ queryKey: ['desktop/info'], queryFn: () => desktop!.info(), enabled: desktop !== null });
  const choose = useCallback(async (): Promise<boolean> => {
    if (!desktop) return false;
    const folder = await desktop.pickFolder('data-folder');
    if (!folder) return false;
    queries.setQueryData(['desktop/info'], await desktop.setDataFolder(folder));
    return true;
  }, [desktop, queries]);
  return desktop ? { info, choose } : null;
}
