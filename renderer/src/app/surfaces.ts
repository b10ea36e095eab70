/** The one card surface of the app's pages (the dashboard's cards, the wizard's sections). */
import { tokens, type GriffelStyle } from '@fluentui/react-components';

export const cardSurface: GriffelStyle = {
  display: 'flex',
  flexDirection: 'column',
  gap: tokens.spacingVerticalM,
  padding: tokens.spacingHorizontalL,
  borderRadius: tokens.borderRadiusMedium,
  border: `1px solid ${tokens.colorNeutralStroke2}`,
  backgroundColor: tokens.colorNeutralBackground1,
};
