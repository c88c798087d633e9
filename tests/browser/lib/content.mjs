// The documentary's own files, read as the tests need them (content/people/*.toml).
import fs from "node:fs";
import path from "node:path";
import { REPO } from "./site.mjs";

const PEOPLE = path.join(REPO, "content/people");

/** A TOML string value of `key` in `text` ("" when absent). */
function value(text, key) {
  return text.match(new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, "m"))?.[1] ?? "";
}

/** Person `id` of the documentary: { id, name, aliases, role, summary } as written. */
export function person(id) {
  const text = fs.readFileSync(path.join(PEOPLE, id + ".toml"), "utf8");
  const aliases = [...(text.match(/^aliases\s*=\s*\[([^\]]*)\]/m)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  return { id, name: value(text, "name"), aliases, role: value(text, "role"), summary: value(text, "summary") };
}

/** Every person of the documentary, by id. */
export function people() {
  return fs.readdirSync(PEOPLE).filter((f) => f.endsWith(".toml")).sort().map((f) => person(f.replace(/\.toml$/, "")));
}
