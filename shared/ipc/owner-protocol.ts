/**
 * The local endpoint of a data folder's owner (a Unix socket, a named pipe on Windows) and its
 * record, `<data>/owner.json`. A connection opens with a hello carrying the token from that
 * user-only file (the same rule as the WebSocket host's token); after the welcome the frames
 * are the ordinary wire messages of protocol.ts.
 */
import { z } from 'zod';
import { serializedErrorSchema } from './protocol';

export const OWNER_KINDS = ['app', 'serve', 'cli'] as const;
export type OwnerKind = (typeof OWNER_KINDS)[number];

export const ownerRecordSchema = z
  .object({
    pid: z.number().int().positive(),
    kind: z.enum(OWNER_KINDS),
    /** What the owner is doing, for the message another process shows ("import-nzb", "serve"). */
    command: z.string().max(200),
    /** ISO time the owner claimed the folder. */
    started: z.string().max(40),
    endpoint: z.string().min(1).max(300),
    token: z.string().min(16).max(200),
  })
  .strict();
export type OwnerRecord = z.infer<typeof ownerRecordSchema>;

export const helloMessage = z.object({ t: z.literal('hello'), token: z.string().max(200) }).strict();

export const helloReply = z.discriminatedUnion('t', [
  z.object({ t: z.literal('welcome'), pid: z.number().int(), kind: z.enum(OWNER_KINDS) }).strict(),
  z.object({ t: z.literal('refused'), error: serializedErrorSchema }).strict(),
]);
export type HelloReply = z.infer<typeof helloReply>;
