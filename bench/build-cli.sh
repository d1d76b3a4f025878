#!/usr/bin/env bash
# Builds the command line as it ships into a folder and says which form it is.
#
#   bench/build-cli.sh OUTDIR [auto|aot|r2r|plain]
#
#   auto (default)  native AOT single-file binary for linux-x64 if it builds, else ReadyToRun
#   aot             native AOT only (fails if it does not build)
#   r2r             framework-dependent, ReadyToRun-compiled (-p:PublishReadyToRun=true)
#   plain           framework-dependent, JIT only (what `dotnet build` gives)
#
# OUTDIR/starttls is the program either way. The last line printed is "form: aot|r2r|plain OUTDIR/starttls".
# bin/ and obj/ go to a throwaway artifacts folder, so a developer's build in the same tree is not disturbed.
set -euo pipefail

out=${1:?usage: bench/build-cli.sh OUTDIR [auto|aot|r2r|plain]}
want=${2:-auto}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
project="$repo/src/StartTlsTools.Cli/StartTlsTools.Cli.csproj"
rid=${STARTTLS_RID:-linux-x64}
artifacts=$(mktemp -d)
trap 'rm -rf "$artifacts"' EXIT
mkdir -p "$out"
out=$(cd "$out" && pwd)
log="$out/build.log"
: > "$log"

publish() { # form, extra args...
    local form=$1
    shift
    echo "> dotnet publish $* ($form)" >> "$log"
    dotnet publish "$project" -c Release -nologo --artifacts-path "$artifacts/$form" -o "$out" "$@" >> "$log" 2>&1
}

case "$want" in
    auto)
        if publish aot -r "$rid" -p:StartTlsAot=true; then form=aot
        else
            echo "native AOT did not build (see $log); falling back to ReadyToRun" >&2
            publish r2r -r "$rid" --self-contained false -p:PublishReadyToRun=true
            form=r2r
        fi ;;
    aot) publish aot -r "$rid" -p:StartTlsAot=true; form=aot ;;
    r2r) publish r2r -r "$rid" --self-contained false -p:PublishReadyToRun=true; form=r2r ;;
    plain) publish plain --self-contained false; form=plain ;;
    *) echo "unknown form '$want' (auto, aot, r2r or plain)" >&2; exit 2 ;;
esac

# Trim/AOT warnings of referenced assemblies are allowed through (IL2104); show them, never hide them.
grep -E "warning IL[0-9]+" "$log" | sed -E 's/ \[[^]]*\]$//' | sort -u >&2 || true
# The debug symbols of the native binary are large and not needed to run it.
rm -f "$out/starttls.dbg"
echo "form: $form $out/starttls"
