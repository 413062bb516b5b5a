/** The markers around the generated block `name` of a partly generated file (Markdown comments). */
export const markers = (name: string) => [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`] as const;

/**
 * `text` with the lines between the markers of block `name` replaced by `body` (markers kept, the
 * rest untouched), so a file can be partly generated and still compared byte for byte. Throws
 * unless each marker is on a line of its own, exactly once, start before end.
 */
export function replaceBlock(text: string, name: string, body: string): string {
  const [start, end] = markers(name);
  const lines = text.split('\n');
  const at = (marker: string) => {
    const found = lines.flatMap((l, i) => (l.trim() === marker ? [i] : []));
    if (found.length !== 1)
      throw new Error(`expected "${marker}" once on a line of its own, found it ${found.length} times`);
    return found[0]!;
  };
  const [from, to] = [at(start), at(end)];
  if (from > to) throw new Error(`"${end}" comes before "${start}"`);
  return [...lines.slice(0, from + 1), ...body.split('\n'), ...lines.slice(to)].join('\n');
}
