/** Column conventions shared by the exchange tables. */
import type { ValueTransformer } from 'typeorm';

/** bigint fen <-> number (PostgreSQL returns int8 as a string; fen amounts stay well inside 2^53). */
export const fenTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** When an import last wrote the row (a re-import that changes nothing leaves it). */
export const LOADED_AT_COLUMN = { name: 'loaded_at', type: 'timestamptz', default: () => 'now()' } as const;
