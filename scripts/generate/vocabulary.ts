/**
 * Word lists for generated names. Titles are combinations of these words, so a catalog of
 * millions of files has the repeated-but-varied vocabulary of a real one, which is what
 * makes full-text search and sorting benchmarks meaningful.
 */
export const ADJECTIVES = [
  'Silent', 'Crimson', 'Hidden', 'Broken', 'Golden', 'Northern', 'Electric', 'Frozen', 'Wild', 'Lost',
  'Burning', 'Quiet', 'Distant', 'Iron', 'Velvet', 'Hollow', 'Bright', 'Midnight', 'Savage', 'Gentle',
  'Ancient', 'Restless', 'Scarlet', 'Shadow', 'Endless', 'Paper', 'Glass', 'Stone', 'Neon', 'Amber',
  'Wandering', 'Bitter', 'Sacred', 'Rusty', 'Lunar', 'Solar', 'Hungry', 'Little', 'Dark', 'Emerald',
] as const;

export const NOUNS = [
  'River', 'Empire', 'Garden', 'Harbor', 'Signal', 'Kingdom', 'Machine', 'Orchard', 'Station', 'Horizon',
  'Lantern', 'Frontier', 'Mountain', 'Circus', 'Island', 'Archive', 'Citadel', 'Meadow', 'Canyon', 'Engine',
  'Falcon', 'Voyage', 'Tide', 'Forest', 'Valley', 'Bridge', 'Tower', 'Desert', 'Ocean', 'Comet',
  'Mirror', 'Garage', 'Theory', 'Protocol', 'Monarch', 'Parade', 'Orbit', 'Atlas', 'Harvest', 'Cathedral',
] as const;

export const PLACES = [
  'Iceland', 'Lisbon', 'Kyoto', 'Patagonia', 'Berlin', 'Lofoten', 'Marrakesh', 'Tasmania', 'Hokkaido', 'Dolomites',
  'Copenhagen', 'Yosemite', 'Sicily', 'Reykjavik', 'Vancouver', 'Porto', 'Seoul', 'Scotland', 'Namibia', 'Provence',
] as const;

export const EVENTS = ['Wedding', 'Birthday', 'Summer Trip', 'Hiking', 'Road Trip', 'Graduation', 'Concert', 'Family Visit', 'Christmas', 'Weekend'] as const;

export const GROUPS = ['NTb', 'FLUX', 'SiGMA', 'EDITH', 'CAKES', 'GGEZ', 'TEPES', 'KOGi', 'SMURF', 'HONE', 'PECULATE', 'NOSiViD'] as const;

export const VIDEO_TAGS = ['1080p.WEB-DL.DDP5.1.H.264', '2160p.WEB-DL.DV.HDR.H.265', '720p.HDTV.x264', '1080p.BluRay.x264', '2160p.UHD.BluRay.REMUX.HEVC'] as const;

export const DOC_TOPICS = ['Taxes', 'Invoices', 'Manuals', 'Research', 'Recipes', 'Contracts', 'Medical', 'School', 'Travel', 'Insurance'] as const;

export const DOC_WORDS = [
  'report', 'statement', 'summary', 'receipt', 'manual', 'guide', 'notes', 'letter', 'policy', 'agreement',
  'schedule', 'budget', 'analysis', 'proposal', 'checklist', 'overview', 'minutes', 'certificate', 'plan', 'review',
] as const;

export const NEWSGROUPS = [
  'alt.binaries.multimedia', 'alt.binaries.boneless', 'alt.binaries.misc', 'alt.binaries.pictures',
  'alt.binaries.sounds.flac', 'alt.binaries.backup', 'alt.binaries.ebook', 'alt.binaries.teevee',
] as const;

export const POSTERS = [
  'ngPost <ngPost@ngPost.com>', 'Nyuu <nyuu@nyuu>', 'backup <backup@strata.local>', 'Poster <poster@example.invalid>',
] as const;

export const MESSAGE_ID_DOMAINS = ['ngPost.com', 'nyuu', 'powerpost.local', 'camelsys.invalid'] as const;
