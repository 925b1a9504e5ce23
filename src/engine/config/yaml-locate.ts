import { type Document, isAlias, isMap, isSeq, type Node, type Pair } from "yaml";
import type { Location } from "../errors.ts";
import { offsetLocation, type YamlFile } from "./yaml-source.ts";
import { pairKey } from "./yaml-to-value.ts";

export type Path = readonly (string | number)[];

interface Found {
  /** How many segments of the path were found. */
  depth: number;
  node: Node | null;
  /** The map entry of the last segment found, when it was a key. */
  pair?: Pair<unknown, unknown>;
}

/** Walks `path` into the document as far as it goes (through aliases). */
export function walk(source: YamlFile, path: Path): Found {
  const { doc } = source.precise();
  let found: Found = { depth: 0, node: (doc.contents as Node | null) ?? null };
  for (const seg of path) {
    const next = step(doc, found.node, seg);
    if (!next) break;
    found = { depth: found.depth + 1, ...next };
  }
  return found;
}

function step(doc: Document, node: Node | null, seg: string | number): Omit<Found, "depth"> | undefined {
  const target = isAlias(node) ? (node.resolve(doc) ?? null) : node;
  if (isMap(target)) {
    const items = target.items as Pair<unknown, unknown>[];
    const pair = items.findLast((p) => pairKey(p) === String(seg));
    return pair ? { node: (pair.value as Node | null) ?? null, pair } : undefined;
  }
  if (isSeq(target) && typeof seg === "number") {
    const item = target.items[seg] as Node | undefined;
    return item === undefined ? undefined : { node: item };
  }
  return undefined;
}

/** Where the value at `path` is written, or undefined if the path is not in this file. */
export function valueLocation(source: YamlFile, path: Path): Location | undefined {
  const found = walk(source, path);
  return found.depth === path.length ? foundLocation(source, found) : undefined;
}

/** Where the key of the entry at `path` is written, or undefined. */
export function keyLocation(source: YamlFile, path: Path): Location | undefined {
  const found = walk(source, path);
  if (found.depth !== path.length) return undefined;
  const key = found.pair?.key as Node | null | undefined;
  return key?.range ? at(source, key.range[0]) : foundLocation(source, found);
}

/** Where the deepest existing part of `path` is written (the document root at least). */
export function nearestLocation(source: YamlFile, path: Path): { depth: number; location: Location } {
  const found = walk(source, path);
  return { depth: found.depth, location: foundLocation(source, found) };
}

function foundLocation(source: YamlFile, found: Found): Location {
  const range = found.node?.range;
  if (range && range[1] > range[0]) return at(source, range[0]);
  const key = found.pair?.key as Node | null | undefined;
  if (key?.range) return at(source, key.range[0]);
  return range ? at(source, range[0]) : { file: source.path, line: 1, col: 1 };
}

function at(source: YamlFile, offset: number): Location {
  return offsetLocation(source.path, source.precise().lineCounter, offset);
}
