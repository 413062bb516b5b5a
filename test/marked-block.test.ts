import { describe, expect, it } from 'vitest';
import { replaceBlock } from '../scripts/deploy/marked-block.ts';

const doc = ['# Title', 'before', '<!-- table:start -->', 'old 1', 'old 2', '<!-- table:end -->', 'after', ''].join(
  '\n',
);

describe('a partly generated file', () => {
  it('replaces only the lines between the markers, keeping the markers and everything else', () => {
    expect(replaceBlock(doc, 'table', 'new\n')).toBe(
      ['# Title', 'before', '<!-- table:start -->', 'new', '', '<!-- table:end -->', 'after', ''].join('\n'),
    );
  });

  it('reproduces itself when the block is already current', () => {
    const once = replaceBlock(doc, 'table', 'row\n');
    expect(replaceBlock(once, 'table', 'row\n')).toBe(once);
  });

  it('refuses a file without the markers, with one twice, or with them in the wrong order', () => {
    expect(() => replaceBlock('no markers', 'table', 'x')).toThrow('<!-- table:start -->');
    expect(() => replaceBlock(`${doc}\n<!-- table:end -->`, 'table', 'x')).toThrow('found it 2 times');
    expect(() => replaceBlock('<!-- table:end -->\n<!-- table:start -->', 'table', 'x')).toThrow('comes before');
  });
});
