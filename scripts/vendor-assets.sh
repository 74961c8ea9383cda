#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm registry. Only a maintainer runs this;
# the app and the tests use the committed copies and never need npm or the network.
#
#   NL Design System CSS (@utrecht/component-library-css: components and plain-HTML styles, EUPL-1.2)
#       -> src/werkpad/web/static/vendor/nl-design-system/
#   axe-core (MPL-2.0), the accessibility engine the browser tests inject
#       -> tests/browser/vendor/axe-core/
#
# Pin a version by setting UTRECHT_CSS_VERSION / AXE_CORE_VERSION; the defaults are the
# versions committed now. Review the diff (and the licences) before committing.
set -euo pipefail

UTRECHT_CSS_VERSION="${UTRECHT_CSS_VERSION:-9.0.4}"
AXE_CORE_VERSION="${AXE_CORE_VERSION:-4.14.1}"

root="$(cd "$(dirname "$0")/.." && pwd)"
css_dir="$root/src/werkpad/web/static/vendor/nl-design-system"
axe_dir="$root/tests/browser/vendor/axe-core"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch() { # package@version -> unpacked folder
  local spec="$1" dest="$work/$2"
  mkdir -p "$dest"
  (cd "$work" && npm pack --silent "$spec" >"$2.name")
  tar -xzf "$work/$(cat "$work/$2.name")" -C "$dest"
  echo "$dest/package"
}

utrecht="$(fetch "@utrecht/component-library-css@$UTRECHT_CSS_VERSION" utrecht)"
mkdir -p "$css_dir"
cp "$utrecht/dist/index.css" "$css_dir/component-library.css"
# html.css styles plain semantic HTML (h1, table, button, select...) inside .utrecht-html with
# the same design tokens, so every template gets the components without class churn.
cp "$utrecht/dist/html.css" "$css_dir/html.css"
cp "$utrecht/LICENSE.md" "$css_dir/LICENSE.md"
printf '@utrecht/component-library-css %s (npm), dist/index.css and dist/html.css, licence EUPL-1.2\n' \
  "$UTRECHT_CSS_VERSION" >"$css_dir/VERSION"

axe="$(fetch "axe-core@$AXE_CORE_VERSION" axe)"
mkdir -p "$axe_dir"
cp "$axe/axe.min.js" "$axe/LICENSE" "$axe/LICENSE-3RD-PARTY.txt" "$axe_dir/"
printf 'axe-core %s (npm), axe.min.js, licence MPL-2.0\n' "$AXE_CORE_VERSION" >"$axe_dir/VERSION"

echo "vendored @utrecht/component-library-css $UTRECHT_CSS_VERSION and axe-core $AXE_CORE_VERSION"
