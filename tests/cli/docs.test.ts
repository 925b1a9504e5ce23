/** The generated reference is fresh, and every relative link in the docs points at a file that exists. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIGURATION_DOC, configurationMarkdown } from "../../scripts/config-docs.ts";
import { taskJsonSchema } from "../../src/engine/config/index.ts";

describe("docs", () => {
  it("docs/configuration.md is what `npm run docs` generates", () => {
    expect(readFileSync(CONFIGURATION_DOC, "utf8")).toBe(configurationMarkdown());
  });

  it("the reference documents every field of the schema", () => {
    const text = configurationMarkdown();
    const props = (
      taskJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown> }> }
    ).properties;
    for (const [name, s] of Object.entries(props)) {
      if (s.properties)
        for (const sub of Object.keys(s.properties)) expect(text).toContain(`| \`${name}.${sub}\` |`);
      else expect(text).toContain(`| \`${name}\` |`);
    }
  });

  it("relative links in README, CHANGELOG and docs/ resolve", () => {
    const files = [
      "README.md",
      "CHANGELOG.md",
      ...readdirSync("docs")
        .filter((f) => f.endsWith(".md"))
        .map((f) => `docs/${f}`),
    ];
    const broken: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split("#")[0]!;
        if (!target || /^[a-z]+:/.test(target)) continue;
        if (!existsSync(join(dirname(file), target))) broken.push(`${file}: ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
