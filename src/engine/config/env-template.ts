/**
 * `{{ env.NAME }}` in `agent.env` values: replaced by the variable of the runner's environment.
 * Only `agent.env` is substituted (prompts end up in pull request bodies).
 */

export type Env = Readonly<Record<string, string | undefined>>;

export type TemplateResult =
  | { ok: true; value: string; templated: boolean }
  | { ok: false; errors: TemplateError[] };

export interface TemplateError {
  kind: "malformed" | "missing";
  message: string;
}

const PLACEHOLDER = /^\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*$/;

/** Substitutes every `{{ env.NAME }}` of `template`; reports every bad or missing one. */
export function substituteEnv(template: string, env: Env): TemplateResult {
  const errors: TemplateError[] = [];
  let out = "";
  let rest = template;
  let templated = false;
  for (let open = rest.indexOf("{{"); open !== -1; open = rest.indexOf("{{")) {
    const close = rest.indexOf("}}", open + 2);
    if (close === -1) {
      errors.push({ kind: "malformed", message: `unclosed \`{{\`; write \`{{ env.NAME }}\`` });
      break;
    }
    const inner = rest.slice(open + 2, close);
    out += rest.slice(0, open) + resolve(inner, rest[open - 1] === "$", env, errors);
    rest = rest.slice(close + 2);
    templated = true;
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: out + rest, templated };
}

function resolve(inner: string, dollar: boolean, env: Env, errors: TemplateError[]): string {
  const m = PLACEHOLDER.exec(inner);
  if (!m) {
    errors.push({ kind: "malformed", message: malformedMessage(inner, dollar) });
    return "";
  }
  const name = m[1]!;
  const value = env[name];
  if (value === undefined) {
    errors.push({ kind: "missing", message: `environment variable \`${name}\` is not set` });
    return "";
  }
  return value;
}

function malformedMessage(inner: string, dollar: boolean): string {
  const shown = `\`${dollar ? "$" : ""}{{${inner}}}\``;
  if (dollar) {
    return (
      `${shown} is a GitHub Actions expression, which is not evaluated in task files; ` +
      "put the value in the workflow step's `env:` and write `{{ env.NAME }}` here"
    );
  }
  return `${shown} is not a valid placeholder; write \`{{ env.NAME }}\``;
}
