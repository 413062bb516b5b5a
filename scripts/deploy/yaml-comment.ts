/** `text` as YAML comment lines of at most `width` characters, for comments that name generated things. */
export function comment(text: string, indent = '', width = 100): string[] {
  const lines: string[] = [];
  let line = `${indent}#`;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length + 1 + word.length > width && line.length > indent.length + 1) {
      lines.push(line);
      line = `${indent}#`;
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}
