/** The manager's settings as stored in the control database: validated, with defaults filled in. */
import { DEFAULT_MANAGER_SETTINGS, type ManagerSettings } from '../../../shared/manager';
import { managerSettingsSchema } from '../../../shared/ipc/manager-schemas';

/** A stored value that is missing or no longer valid falls back to its default rather than failing the start. */
export function parseSettings(stored: Record<string, unknown>): ManagerSettings {
  const settings: ManagerSettings = { ...DEFAULT_MANAGER_SETTINGS };
  const shape = managerSettingsSchema.shape;
  for (const key of Object.keys(shape) as (keyof ManagerSettings)[]) {
    const parsed = shape[key].safeParse(stored[key]);
    if (parsed.success) (settings as unknown as Record<string, unknown>)[key] = parsed.data;
  }
  return settings;
}
