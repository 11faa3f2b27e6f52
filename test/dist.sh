#!/bin/bash
#
# test/dist.sh
#	"make dist" gives a release archive that builds, and META.json is what
#	PGXN wants.
#
#	The archive is made from what git would commit: a tree of the working
#	tree's files written with a temporary index (GIT_INDEX_FILE, so the
#	repository's index, branch and working tree are not touched), passed
#	to "make dist DIST_REV=<tree>".  On a clean clone that is HEAD.  Then:
#
#	  - it is chronos-EXTVERSION.0.zip, every file under chronos-EXTVERSION.0/;
#	  - it holds the Makefile, the control file, LICENSE, META.json,
#	    README.md, every script of DATA, every source the Makefile compiles
#	    and every header, and no build product;
#	  - unpacked in a temporary directory, "make" builds chronos.so and
#	    "make -n install" installs every script of DATA;
#	  - META.json follows the PGXN meta spec 1.0.0: the required keys,
#	    version EXTVERSION.0 (semantic), license postgresql, provides
#	    chronos with its file (in the archive) and version, PostgreSQL >= 15
#	    as a runtime prerequisite.
#
#	Needs git and python3 (for the zip and the JSON); needs no server, but
#	uses PG_CONFIG (or pg_config) to build.  test/run_tests.sh runs it in
#	"make test" only: it does not depend on the server version.
#
#	Prints "ok N - ..." / "not ok N - ..." lines; exits 1 if any failed.
#
# IDENTIFICATION
#	test/dist.sh

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 2
TMP=$(mktemp -d -t chronos-dist.XXXXXX)
PGC=${PG_CONFIG:-pg_config}
n=0
failed=0

trap 'rm -rf "$TMP"' EXIT

# ok / not_ok
. "$ROOT/test/lib/tap.sh"

make_var()
{
	printf '_chronos_print_var:\n\t@echo $(%s)\n' "$1" |
		make -s --no-print-directory PG_CONFIG="$PGC" -f Makefile -f - _chronos_print_var 2>/dev/null
}

echo "1..8"

EXTVERSION=$(make_var EXTVERSION)
NAME=chronos-$EXTVERSION.0

# the working tree as git would commit it, without touching the index
if [ -d "$ROOT/.git" ] || git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
	cp "$(git rev-parse --git-path index)" "$TMP/index" 2>/dev/null || true
	if GIT_INDEX_FILE=$TMP/index git add -A . >"$TMP/out" 2>&1 &&
		TREE=$(GIT_INDEX_FILE=$TMP/index git write-tree 2>>"$TMP/out"); then
		ok "a tree of the working tree ($TREE)"
	else
		not_ok "a tree of the working tree"
		sed 's/^/#   /' "$TMP/out"
		TREE=HEAD
	fi
else
	not_ok "this is a git checkout (make dist archives from git)"
	TREE=HEAD
fi

rm -f "$NAME.zip"
if make --no-print-directory PG_CONFIG="$PGC" dist DIST_REV="$TREE" >"$TMP/out" 2>&1 && [ -f "$NAME.zip" ]; then
	mv "$NAME.zip" "$TMP/"
	ok "make dist gives $NAME.zip"
else
	not_ok "make dist gives $NAME.zip"
	sed 's/^/#   /' "$TMP/out" | head -n 20
fi

# what the archive must hold: the build's inputs
python3 - "$TMP/$NAME.zip" "$NAME" "$TMP/list" >"$TMP/out" 2>&1 <<'EOF'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
bad = [n for n in names if not n.startswith(sys.argv[2] + '/')]
if bad:
    print('outside the prefix:', bad[:5]); sys.exit(1)
open(sys.argv[3], 'w').write('\n'.join(n[len(sys.argv[2]) + 1:] for n in names) + '\n')
EOF
if [ $? -eq 0 ]; then
	ok "every file of the archive is under $NAME/ ($(wc -l <"$TMP/list") entries)"
else
	not_ok "every file of the archive is under $NAME/"
	sed 's/^/#   /' "$TMP/out"
fi

want=(Makefile chronos.control LICENSE META.json README.md $(make_var DATA)
	$(make_var OBJS | tr ' ' '\n' | sed 's/\.o$/.c/') $(ls src/*.h src/codec/*.h))
missing=()
for f in "${want[@]}"; do
	grep -q -x -F "$f" "$TMP/list" || missing+=("$f")
done
products=$(grep -E '\.(o|so|bc)$|^test/build/|^results/' "$TMP/list" | head -n 5)
if [ ${#missing[@]} -eq 0 ] && [ -z "$products" ]; then
	ok "the archive holds the ${#want[@]} files a build needs and no build product"
else
	not_ok "the archive holds the ${#want[@]} files a build needs and no build product"
	echo "#   missing: ${missing[*]:-none}; build products: ${products:-none}"
fi

# it builds
mkdir -p "$TMP/x"
if python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" \
	"$TMP/$NAME.zip" "$TMP/x" >"$TMP/out" 2>&1 &&
	make -C "$TMP/x/$NAME" -j"$(nproc 2>/dev/null || echo 2)" PG_CONFIG="$PGC" >>"$TMP/out" 2>&1 &&
	[ -f "$TMP/x/$NAME/chronos.so" ]; then
	ok "the unpacked archive builds chronos.so"
else
	not_ok "the unpacked archive builds chronos.so"
	tail -n 20 "$TMP/out" | sed 's/^/#   /'
fi
if make -C "$TMP/x/$NAME" -n install PG_CONFIG="$PGC" >"$TMP/out" 2>&1; then
	missing=()
	for f in $(make_var DATA); do
		grep -q -F "$f" "$TMP/out" || missing+=("$f")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		ok "make install from the archive installs every script of DATA"
	else
		not_ok "make install from the archive installs every script of DATA (not: ${missing[*]})"
	fi
else
	not_ok "make -n install from the archive"
	tail -n 5 "$TMP/out" | sed 's/^/#   /'
fi

# META.json, per the PGXN meta spec 1.0.0 (https://pgxn.org/spec/)
python3 - META.json "$EXTVERSION" "$TMP/list" >"$TMP/out" 2>&1 <<'EOF'
import json, re, sys
meta = json.load(open(sys.argv[1]))
files = set(open(sys.argv[3]).read().split())
errors = []
for key in ('name', 'abstract', 'version', 'maintainer', 'license', 'provides', 'meta-spec'):
    if key not in meta:
        errors.append('missing required key ' + key)
semver = re.compile(r'^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([a-zA-Z][0-9a-zA-Z-]*)?$')
if meta.get('name') != 'chronos':
    errors.append('name is not chronos')
if not semver.match(str(meta.get('version', ''))):
    errors.append('version is not a semantic version')
if meta.get('version') != sys.argv[2] + '.0':
    errors.append('version %s is not EXTVERSION.0 = %s.0' % (meta.get('version'), sys.argv[2]))
if meta.get('license') != 'postgresql':
    errors.append('license is not postgresql')
if not meta.get('maintainer'):
    errors.append('no maintainer')
spec = meta.get('meta-spec', {})
if spec.get('version') != '1.0.0':
    errors.append('meta-spec version is not 1.0.0')
prov = meta.get('provides', {}).get('chronos')
if not prov:
    errors.append('provides has no chronos')
else:
    if prov.get('version') != meta.get('version'):
        errors.append('provides.chronos.version differs from version')
    if not semver.match(str(prov.get('version', ''))):
        errors.append('provides.chronos.version is not semantic')
    if prov.get('file') != 'chronos--%s.sql' % sys.argv[2] or prov.get('file') not in files:
        errors.append('provides.chronos.file %s is not chronos--%s.sql in the archive' % (prov.get('file'), sys.argv[2]))
pg = meta.get('prereqs', {}).get('runtime', {}).get('requires', {}).get('PostgreSQL')
if pg is None or int(str(pg).split('.')[0]) != 15:
    errors.append('prereqs.runtime.requires.PostgreSQL is not 15')
for key in meta:
    if key not in ('name', 'abstract', 'description', 'version', 'maintainer', 'license', 'prereqs',
                   'provides', 'resources', 'generated_by', 'meta-spec', 'tags', 'no_index',
                   'release_status') and not key.lower().startswith('x_'):
        errors.append('unknown key ' + key)
for key in meta.get('resources', {}):
    if key not in ('homepage', 'bugtracker', 'repository') and not key.lower().startswith('x_'):
        errors.append('unknown resource ' + key)
if meta.get('release_status', 'stable') not in ('stable', 'testing', 'unstable'):
    errors.append('bad release_status')
print('\n'.join(errors))
sys.exit(1 if errors else 0)
EOF
if [ $? -eq 0 ]; then
	ok "META.json follows the PGXN meta spec: version $EXTVERSION.0, license postgresql, provides chronos--$EXTVERSION.sql, PostgreSQL >= 15"
else
	not_ok "META.json follows the PGXN meta spec"
	sed 's/^/#   /' "$TMP/out"
fi

if grep -q 'PostgreSQL License\|Permission to use, copy, modify, and distribute' LICENSE 2>/dev/null &&
	grep -q -F 'Copyright (c) 2026, chronos developers' LICENSE; then
	ok "LICENSE is the PostgreSQL License, copyright the chronos developers"
else
	not_ok "LICENSE is the PostgreSQL License, copyright the chronos developers"
fi

[ "$failed" -eq 0 ]
