/**
 * The wire messages between a client and the dispatcher, the same over a MessagePort, a child
 * process channel or a WebSocket. Both ends parse what they receive with these schemas; a
 * message that does not fit is dropped and reported, never acted on.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../errors';

export const callMessage = z.object({ t: z.literal('call'), id: z.number().int().nonnegative(), channel: z.string().max(100), args: z.unknown().optional() }).strict();
export const cancelMessage = z.object({ t: z.literal('cancel'), id: z.number().int().nonnegative() }).strict();
export const clientMessage = z.discriminatedUnion('t', [callMessage, cancelMessage]);

export const serializedErrorSchema = z
  .object({ name: z.string(), code: z.enum(ERROR_CODES), message: z.string(), details: z.record(z.string(), z.unknown()).optional() })
  .strict();

export const serverMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('result'), id: z.number().int().nonnegative(), result: z.unknown() }).strict(),
  z.object({ t: z.literal('error'), id: z.number().int().nonnegative(), error: serializedErrorSchema }).strict(),
  z.object({ t: z.literal('event'), name: z.string(), payload: z.unknown() }).strict(),
]);

export type ClientMessage = z.infer<typeof clientMessage>;
export type ServerMessage = z.infer<typeof serverMessage>;

/** The smallest transport both ends need: a way to send and a way to hear. */
export interface Port {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
}
