# zsh-complete.zsh - what zsh's completion offers, for tests/package:
#   zsh zsh-complete.zsh FPATH_DIR 'hvecho --' ['hvecho bench ' ...]
# Runs an interactive zsh on a pseudo-terminal (zpty), with FPATH_DIR first
# in $fpath and compinit, types each command line followed by Tab, and
# prints "== LINE" and then each match offered (compadd is wrapped to
# print them), one per line. Every wait is bounded.
zmodload zsh/zpty || exit 3
zpty z zsh -f -i || exit 3
zpty -w z "PROMPT='' RPROMPT=''; fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D; compadd () { local -a __h; builtin compadd -O __h \"\$@\"; (( \$#__h )) && print -rl -- \"<hit>\"\${^__h}; builtin compadd \"\$@\"; }; zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' menu no; bindkey '^I' complete-word; print '<rea''dy>'"
shift

# Reads lines until one contains $1 (at most ~20 s), the matches into
# $hits.
typeset -a hits
await() {
  local line
  integer n=0
  hits=()
  while (( n++ < 1000 )); do
    if ! zpty -r -t z line; then
      sleep 0.02
      continue
    fi
    line=${line//$'\r'/}
    [[ $line == *$1* ]] && return 0
    [[ $line == *'<hit>'* ]] && hits+=("${${line##*<hit>}%$'\n'}")
  done
  print -u2 "zsh-complete: no $1 from zsh"
  return 1
}

await '<ready>' >/dev/null || { zpty -d z; exit 2; }
integer i=0 try
for cmdline in "$@"; do
  print -r -- "== $cmdline"
  # Tab completes, Ctrl+U drops the line, then a marker ends the output.
  # A line that got nothing is typed again (a busy machine can make zle
  # drop keys typed before its prompt), up to three times.
  for try in 1 2 3; do
    (( i++ ))
    zpty -w -n z "$cmdline"$'\t'$'\x15'
    zpty -w z "print '<end''$i>'"
    await "<end$i>" || { zpty -d z; exit 2; }
    (( $#hits )) && break
  done
  (( $#hits )) && print -rl -- $hits
done
zpty -d z
