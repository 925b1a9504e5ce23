/** The generator of the OpenAPI subset, and the committed subset's agreement with the client. */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { buildSubset, findOpenApiPackage, SUBSET_PATH } from "../../scripts/gen-openapi-subset.ts";
import { GITHUB_OPERATIONS } from "../../src/engine/github/operations.ts";

const run = promisify(execFile);
const NODE = process.execPath;

const full = {
  openapi: "3.0.3",
  info: { version: "1.2.3" },
  paths: {
    "/a/{id}": {
      parameters: [{ $ref: "#/components/parameters/id" }],
      get: {
        operationId: "a/get",
        responses: {
          "200": {
            content: {
              "application/json": {
                schema: { $ref: "#/components/schemas/thing" },
                examples: { default: { $ref: "#/components/examples/thing" } },
              },
            },
          },
          "404": { $ref: "#/components/responses/not_found" },
        },
      },
      delete: { operationId: "a/delete", responses: {} },
    },
    "/b": { get: { operationId: "b/get", responses: {} } },
  },
  components: {
    parameters: { id: { name: "id", in: "path", schema: { type: "integer" } } },
    schemas: {
      thing: { type: "object", properties: { owner: { $ref: "#/components/schemas/user" } } },
      user: { type: "object", properties: { login: { type: "string" } } },
      unused: { type: "string" },
      error: { type: "object" },
    },
    responses: {
      not_found: { content: { "application/json": { schema: { $ref: "#/components/schemas/error" } } } },
    },
    examples: { thing: { value: {} } },
  },
};

test("buildSubset keeps the listed operations and, transitively, the components they use", () => {
  const subset = buildSubset(full, ["a/get"], "pkg@1");
  expect(Object.keys(subset.paths as object)).toEqual(["/a/{id}"]);
  expect(Object.keys((subset.paths as Record<string, object>)["/a/{id}"]!)).toEqual(["get", "parameters"]);
  expect(subset.components).toEqual({
    parameters: { id: full.components.parameters.id },
    responses: { not_found: full.components.responses.not_found },
    schemas: {
      error: { type: "object" },
      thing: full.components.schemas.thing,
      user: full.components.schemas.user,
    },
  });
  expect(JSON.stringify(subset)).not.toContain("examples");
  expect(subset["x-subset"]).toMatchObject({ source: "pkg@1", operations: ["a/get"] });
});

test("buildSubset refuses an operation the description does not have", () => {
  expect(() => buildSubset(full, ["a/get", "c/nope"], "pkg@1")).toThrow(
    "operations not in the description: c/nope",
  );
});

test("the committed subset holds exactly the client's operations, on the client's routes", () => {
  const subset = JSON.parse(readFileSync(SUBSET_PATH, "utf8")) as {
    paths: Record<string, Record<string, { operationId?: string }>>;
    "x-subset": { operations: string[] };
  };
  const routes: Record<string, string> = {};
  for (const [path, item] of Object.entries(subset.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op.operationId) routes[op.operationId] = `${method.toUpperCase()} ${path}`;
    }
  }
  expect(routes).toEqual(GITHUB_OPERATIONS);
  expect(subset["x-subset"].operations).toEqual(Object.keys(GITHUB_OPERATIONS).sort());
});

test("--check without @octokit/openapi installed is a notice, exit 0", async () => {
  const { stdout } = await run(NODE, ["scripts/gen-openapi-subset.ts", "--check"], {
    env: { ...process.env, OCTOKIT_OPENAPI_DIR: "/nonexistent" },
  });
  expect(stdout).toMatch(/notice: @octokit\/openapi is not installed; skipping/);
});

test.skipIf(!findOpenApiPackage())("--check: the committed subset is up to date", async () => {
  const { stdout } = await run(NODE, ["scripts/gen-openapi-subset.ts", "--check"]);
  expect(stdout).toMatch(/up to date/);
});
