import { Code } from '@connectrpc/connect';
import { codeToHttpStatus } from '@connectrpc/connect/protocol-connect';
import { describe, expect, it } from 'vitest';
import { httpStatusOfRpcCode } from './answer-status.ts';

describe('the HTTP status of an RPC code', () => {
  it("is what Connect's own mapping gives, for every code", () => {
    const codes = Object.values(Code).filter((c): c is Code => typeof c === 'number');
    expect(codes).toHaveLength(16);
    for (const code of codes) expect(httpStatusOfRpcCode(code), Code[code]).toBe(codeToHttpStatus(code));
  });

  it('is 500 for a code Connect does not know', () => {
    expect(httpStatusOfRpcCode(17)).toBe(500);
  });
});
