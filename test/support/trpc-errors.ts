// The TRPCError a router call fails with (tests of refusals assert its code and message).

import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';

export async function errorOf(call: Promise<unknown>): Promise<TRPCError> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    return error as TRPCError;
  }
  throw new Error('expected the call to fail');
}
