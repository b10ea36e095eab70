/**
 * What a message-id and a group name may hold. An article's message-id travels in an NNTP
 * command line and a newsgroup name in a header, so whitespace, control characters and angle
 * brackets never belong in either (RFC 5536 3.1.3, RFC 3977 4.1); a value carrying a newline
 * could smuggle a second line into whatever an exported NZB is fed to. The importer drops such
 * values and counts them; the exporter never writes one.
 */
// Unicode white space and controls too: U+2028 is a line break to many readers.
const FORBIDDEN = /[\s\p{Cc}\p{Cf}<>]/u;

/** A message-id without its angle brackets, as the catalog stores it. */
export const isValidMessageId = (id: string): boolean => id.length > 0 && id.length <= 998 && !FORBIDDEN.test(id);

export const isValidGroupName = (group: string): boolean => group.length > 0 && group.length <= 998 && !FORBIDDEN.test(group);
