// Copies the front-end packages installed from npm into Django's static files.
// The copies are build output (git-ignored): the product never loads anything from a CDN.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "sasaeai", "static", "vendor");
const assets = [
  ["@digital-go-jp/design-tokens/dist/tokens.css", "design-tokens/tokens.css"],
  ["@digital-go-jp/design-tokens/LICENSE", "design-tokens/LICENSE"],
  ["htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"],
  ["htmx.org/LICENSE", "htmx/LICENSE"],
];
for (const [source, target] of assets) {
  const destination = join(vendor, target);
  mkdirSync(dirname(destination), { recursive: true });
  copyFileSync(join(root, "node_modules", source), destination);
  console.log(`static/vendor/${target}`);
}
