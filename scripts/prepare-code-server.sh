#!/usr/bin/env bash
# Prepares code-server 4.96.4 (VS Code 1.96.4 on Node 20) for the end-to-end tests, in a cache
# folder outside the repository. Idempotent: a marker file makes later runs a no-op.
# Needs only the npm registry and Debian's `ripgrep` (plus a C++ toolchain for `npm rebuild`);
# code-server's own postinstall is skipped because it downloads from outside the registry.
# Prints the prepared folder (the one holding out/node/entry.js) as its last line.
# `--check` only says whether it is prepared (exit 0, printing the folder) or not (exit 1), changing nothing.
set -euo pipefail

version=4.96.4
cache="${SIMONE_CODE_SERVER_CACHE:-$HOME/.cache/simone-code-server}"
target="$cache/code-server-$version"
marker="$target/.simone-prepared"

if [ "${1:-}" = --check ]; then
  [ -f "$marker" ] || { echo "prepare-code-server: not prepared in $target" >&2; exit 1; }
  echo "$target"
  exit 0
fi

fail() {
  echo "prepare-code-server: FAILED: $*" >&2
  exit 1
}

mkdir -p "$cache" || fail "cannot create the cache folder $cache (set SIMONE_CODE_SERVER_CACHE)"
# Several test runs may start at once: one prepares, the others wait for it.
exec 9>"$cache/.lock"
flock 9

if [ -f "$marker" ]; then
  echo "prepare-code-server: cached in $target (delete it to prepare again)" >&2
  echo "$target"
  exit 0
fi

rg_path="$(command -v rg || true)"
[ -n "$rg_path" ] || fail "ripgrep is not installed (apt-get install -y ripgrep)"

total_started=$SECONDS
current_step=""
step() {
  current_step="$1"
  step_started=$SECONDS
  echo "prepare-code-server: $current_step ..." >&2
}
step_done() {
  echo "prepare-code-server:   done in $((SECONDS - step_started)) s" >&2
}
trap 'echo "prepare-code-server: FAILED during: $current_step (see the output above; nothing was cached)" >&2' ERR

# Prepare in a scratch folder and move it into place at the end, so a failed run never looks prepared.
work="$(mktemp -d "$cache/.partial-XXXXXX")"
trap 'rm -rf "$work"' EXIT
package="$work/package"
vscode="$package/lib/vscode"

# Native modules are compiled against the installed Node's headers instead of downloading them.
node_dir="$(dirname "$(dirname "$(command -v node)")")"
if [ -f "$node_dir/include/node/node_version.h" ]; then
  export npm_config_nodedir="$node_dir"
else
  echo "prepare-code-server: warning: no Node headers in $node_dir/include/node; node-gyp will try to download them from nodejs.org" >&2
fi
npm_quiet=(--no-audit --no-fund --loglevel=error)

step "1/5 npm pack code-server@$version and unpack"
(cd "$work" && npm pack "code-server@$version" --silent "${npm_quiet[@]}" >/dev/null)
tar -xzf "$work/code-server-$version.tgz" -C "$work"
rm "$work/code-server-$version.tgz"
[ -f "$package/out/node/entry.js" ] || fail "the code-server package has no out/node/entry.js"
step_done

step "2/5 point @vscode/proxy-agent at the npm registry"
node -e '
  const fs = require("node:fs");
  const file = process.argv[1];
  const shrinkwrap = JSON.parse(fs.readFileSync(file, "utf8"));
  const entry = shrinkwrap.packages && shrinkwrap.packages["node_modules/@vscode/proxy-agent"];
  if (!entry) throw new Error("node_modules/@vscode/proxy-agent is not in " + file);
  delete entry.resolved;
  delete entry.integrity;
  fs.writeFileSync(file, JSON.stringify(shrinkwrap, null, 2) + "\n");
' "$vscode/npm-shrinkwrap.json"
step_done

step "3/5 npm install --omit=dev --ignore-scripts (code-server, vscode, built-in extensions)"
for folder in "$package" "$vscode" "$vscode/extensions"; do
  echo "prepare-code-server:   in ${folder#"$work"/}" >&2
  (cd "$folder" && npm install --omit=dev --ignore-scripts "${npm_quiet[@]}" >&2)
done
step_done

step "4/5 npm rebuild native modules"
(cd "$vscode" && npm rebuild node-pty @parcel/watcher @vscode/spdlog native-watchdog "${npm_quiet[@]}" >&2)
(cd "$package" && npm rebuild argon2 "${npm_quiet[@]}" >&2)
step_done

step "5/5 node_modules.asar link and Debian ripgrep"
ln -sfn node_modules "$vscode/node_modules.asar"
mkdir -p "$vscode/node_modules/@vscode/ripgrep/bin"
ln -sfn "$rg_path" "$vscode/node_modules/@vscode/ripgrep/bin/rg"
step_done

date -u +%Y-%m-%dT%H:%M:%SZ >"$package/.simone-prepared"
rm -rf "$target"
mv "$package" "$target"
echo "prepare-code-server: prepared $target in $((SECONDS - total_started)) s" >&2
echo "$target"
