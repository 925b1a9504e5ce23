/**
 * Node's `http`/`https` modules as the modules themselves (`process.getBuiltinModule`, Node ≥ 22.3),
 * loaded when first used. An ESM import of `node:http` builds a namespace of every export, one of
 * which is Node's fetch, and so compiles undici (~30 ms measured); on an older Node 22 the import is
 * what there is.
 */
import type * as Http from "node:http";
import type * as Https from "node:https";

export async function nodeHttp(): Promise<typeof Http> {
  return (
    (process.getBuiltinModule?.("node:http") as typeof Http | undefined) ??
    (await import("node:http")).default
  );
}

export async function nodeHttps(): Promise<typeof Https> {
  return (
    (process.getBuiltinModule?.("node:https") as typeof Https | undefined) ??
    (await import("node:https")).default
  );
}
