package ssh

// The scripts run on the host as `sh -c SCRIPT sh ARG...`: every path is a
// positional parameter, single-quoted by the controller, and file content
// travels only on stdin and stdout. They use POSIX sh and POSIX utilities
// with POSIX options only, so they run on Linux (dash, bash, busybox) and
// AIX alike:
//
//	ls -lndLq --, ls -lnd --, ls -ld --   metadata and link targets (no stat -c, no readlink -f)
//	cat, wc -c, chown U:G, chmod MODE, mv -f --, rm -f --, printf, uname -s -m -n, hostname, id -un -u
//	read -r, [ -r ] (builtins: /proc/sys/kernel's files instead of uname on Linux)
//	sync -- FILE                          only when asked to and failures ignored (see flushing below)
//
// Exit codes: 0 success; exitNotExist, exitIsDir, exitDenied as named;
// exitFailed for any other failure, with a message on stderr. sudo's own
// refusal is exit 1, sh's syntax errors 2, a missing command 127: none
// collides.
//
// Every file script starts with the same prologue: no pathname expansion
// (names come from ls output and are split into fields), default field
// splitting, and the C locale so that ls prints what parseLS expects.
//
// Flushing (WriteFile): on Linux the temporary file is flushed with `sync
// -- FILE` (coreutils 8.24+ and busybox fsync just that file; older
// coreutils flush everything, which is slow but correct) before the
// rename, failures ignored. Elsewhere, AIX included, sync takes no
// operands and would flush every filesystem of a busy host on each write,
// so there is none: the rename still makes the change atomic for readers,
// but a crash right after it may lose the new content. No POSIX utility
// flushes the directory after the rename.

const (
	exitNotExist = 3 // the path (or its parent directory, for a write) does not exist
	exitIsDir    = 4 // the path is a directory
	exitDenied   = 5 // the path exists but may not be read
	exitFailed   = 6 // anything else; stderr says what
)

// scriptFacts prints `uname -s -n -m` (system, node name, machine, in
// that order, on one line: no field has blanks) and the login user. On
// Linux kernels that have /proc/sys/kernel/arch, the first line is read
// from /proc/sys/kernel with the shell's builtins: the same three values,
// without a process (a fleet's hosts are many, and each process costs the
// host a fork and an exec). The user is $LOGNAME, which sshd sets to the
// login user's name; `id -un` only when it is empty, and `id -u` for a
// user without a name.
const scriptFacts = `k=/proc/sys/kernel
if [ -r $k/arch ] && [ -r $k/ostype ] && [ -r $k/hostname ]; then
	read -r s <$k/ostype && read -r n <$k/hostname && read -r m <$k/arch && printf '%s %s %s\n' "$s" "$n" "$m"
else
	uname -s -n -m
fi && if [ -n "$LOGNAME" ]; then
	printf '%s\n' "$LOGNAME"
else
	id -un 2>/dev/null || id -u
fi
`

const prologue = `set -f
unset IFS
LC_ALL=C
export LC_ALL
`

// existsCheck exits when $1 does not exist, telling a missing file from a
// parent directory ($2) that may not be searched: test -e cannot.
const existsCheck = `if [ ! -e "$1" ]; then
	if [ -d "$2" ] && [ ! -x "$2" ]; then
		echo "permission denied" >&2
		exit 5
	fi
	exit 3
fi
`

// scriptStat prints `ls -lndLq` of $1 (following symlinks; -q turns a
// newline in the name into ?, so the output is one line). $2 is the parent
// directory.
const scriptStat = prologue + existsCheck + `ls -lndLq -- "$1"
`

// scriptRead prints the `ls -lndLq` line of $1, then its content. Content
// and metadata come from one open of the file (the braces' redirection),
// so a file replaced meanwhile still gives one whole version. $2 is the
// parent directory.
const scriptRead = prologue + existsCheck + `if [ -d "$1" ]; then
	exit 4
fi
if [ ! -r "$1" ]; then
	echo "permission denied" >&2
	exit 5
fi
{ ls -lndLq -- "$1" && cat; } <"$1"
`

// scriptWrite replaces a file atomically with its stdin:
//
//	$1 path, $2 temporary file name (random, chosen by the controller),
//	$3 mode of a new file (octal), $4 owner of a new file (uid:gid, or ""),
//	$5 the number of bytes on stdin, $6 "sync" to flush before the rename.
//
// It follows symlinks from $1 by parsing `ls -ld` (keeping the links), then
// takes the mode and owner of the existing file, if any, from `ls -lnd`.
// The temporary file is created in the target's directory with noclobber
// (set -C: it is never an existing file or a planted symlink) and umask
// 077 (nobody reads it before its mode is set), filled from stdin, checked
// to hold all $5 bytes (a session cut short gives EOF early, which must not
// replace the file with a truncated one), chowned (only when its owner
// differs, so an unprivileged user can rewrite its own files) before chmod
// (chown clears setuid), then renamed over the target. On any failure or
// signal the temporary file is removed. (Not `if ! { :; } >"$tmp"`: bash
// ignores the ! when the redirection of a compound command fails.)
const scriptWrite = prologue + `p=$1 name=$2 mode=$3 owner=$4 size=$5 flush=$6
n=0
while [ -L "$p" ]; do
	n=$((n + 1))
	if [ "$n" -gt 40 ]; then
		echo "too many levels of symbolic links" >&2
		exit 6
	fi
	l=$(ls -ld -- "$p") || exit 6
	t=${l#*" $p -> "}
	case $t in
	/*) p=$t ;;
	*) case $p in */*) p=${p%/*}/$t ;; *) p=$t ;; esac ;;
	esac
done
case $p in
*/*) dir=${p%/*}/ ;;
*) dir= ;;
esac
tmp=$dir$name
if [ -d "$p" ]; then
	exit 4
fi
if [ ! -d "${dir:-.}" ]; then
	exit 3
fi
if [ ! -w "${dir:-.}" ]; then
	echo "permission denied" >&2
	exit 5
fi
if [ -e "$p" ]; then
	l=$(ls -lnd -- "$p") || exit 6
	set -- $l
	s=${1#?} m=0
	for w in 256 128 64 32 16 8 4 2 1; do
		c=${s%"${s#?}"}
		s=${s#?}
		case $c in [rwxst]) m=$((m + w)) ;; esac
		case $w$c in 64[sS]) m=$((m + 2048)) ;; 8[sSl]) m=$((m + 1024)) ;; 1[tT]) m=$((m + 512)) ;; esac
	done
	mode=$(printf '%o' "$m")
	owner=$3:$4
fi
own=
trap 'if [ -n "$own" ] && [ ! -L "$tmp" ]; then rm -f -- "$tmp"; fi' EXIT
trap 'exit 6' HUP INT TERM PIPE
umask 077
set -C
# A name already taken is refused without touching it. own is set before
# the file exists: a TERM right after the redirection created it must still
# remove it. The EXIT trap never removes a symlink, so a link planted under
# the name in between (refused by noclobber) stays as it is.
if [ -e "$tmp" ] || [ -L "$tmp" ]; then
	echo "temporary file name taken" >&2
	exit 6
fi
own=1
{ :; } >"$tmp" || exit 6
set +C
cat >>"$tmp" || exit 6
set -- $(wc -c <"$tmp")
if [ "$1" != "$size" ]; then
	echo "short write: $1 of $size bytes arrived" >&2
	exit 6
fi
if [ -n "$owner" ]; then
	set -- $(ls -lnd -- "$tmp")
	if [ "$3:$4" != "$owner" ]; then
		chown "$owner" "$tmp" || exit 6
	fi
fi
chmod "$mode" "$tmp" || exit 6
if [ "$flush" = sync ]; then
	sync -- "$tmp" 2>/dev/null || :
fi
mv -f -- "$tmp" "$p" || exit 6
own=
`
