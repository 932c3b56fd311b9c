import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";

export type ParsedYaml = { doc: Document; lineCounter: LineCounter };

export function parseYamlWithPositions(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  return { doc, lineCounter };
}

/**
 * The 1-based line where a dotted path ("resource.labelSelector.matchLabels") sits in the source.
 * When the path does not exist (a missing required field) the deepest existing parent is used,
 * which is where the user has to add it.
 */
export function lineOfPath({ doc, lineCounter }: ParsedYaml, path: string): number {
  const segments = path === "" ? [] : path.split(".");
  let node: Node | null | undefined = doc.contents as Node | null;
  let line = 1;
  const lineOf = (offset: number | undefined) => (offset === undefined ? line : lineCounter.linePos(offset).line);
  for (let i = 0; i < segments.length; i++) {
    if (isMap(node)) {
      const items = node.items;
      // Label and annotation keys hold dots themselves ("scaledobject.kaito.sh/threshold"):
      // a segment not found alone is tried together with the ones after it.
      let pair: (typeof items)[number] | undefined;
      for (let end = i + 1; end <= segments.length && !pair; end++) {
        const key = segments.slice(i, end).join(".");
        pair = items.find((item) => String((item.key as { value?: unknown })?.value ?? item.key) === key);
        if (pair) i = end - 1;
      }
      if (!pair) break;
      line = lineOf((pair.key as Node | null)?.range?.[0]);
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const item = node.items[Number(segments[i])] as Node | undefined;
      if (!item) break;
      line = lineOf(item.range?.[0]);
      node = item;
    } else {
      break;
    }
  }
  return line;
}
