# hvecho.bash - bash completion for hvecho(1): subcommands, options, the
# target kinds of -c / bench / stress, the listen addresses of -s, file
# names for --message-file, --textfile, unix:PATH and hybrid:PATH. Installed as
# /usr/share/bash-completion/completions/hvecho; works on its own too
# (`source hvecho.bash`), without the bash-completion package.
# tests/package (case drift) checks it offers every option of hvecho --help.

_hvecho_main_opts='-s --server -c --client -p --service -m --message
    --message-file --size -t --timeout -n --count --forever --interval
    --keep-going --no-bye --bye -1 --once
    --max-conns --idle-timeout --max-bytes --allow -q --quiet -v --verbose
    --json -h --help -V --version'
_hvecho_bench_opts='-p --service -t --timeout -n --count --size --bytes
    -d --duration --hold -P --parallel --max-size --seed --no-bye --json
    -q --quiet -h --help'
_hvecho_register_opts='-p --service --name --print -h --help'
_hvecho_probe_opts='-p --service -m --message -t --timeout --deadline --every
    -n --count --textfile --json -q --quiet -h --help'
_hvecho_subcommands='doctor guid register unregister bench stress probe'
_hvecho_bench_kinds='latency throughput connections idle'
_hvecho_targets='loopback parent children silohost broadcast wildcard cid:
    tcp: unix: hybrid:'
_hvecho_listen='wildcard loopback tcp: unix: hybrid: systemd:'

# Completes the whole shell word $1 (COMP_WORDS splits it at ':' and '='),
# from the candidates in $2, or from file names after a prefix (unix:,
# hybrid:, --message-file=) when $3 is "files".
_hvecho_reply()
{
    local word=$1 cands=$2 mode=$3 pre="" c
    local -a out=()
    if [[ $mode == files ]]; then
        case $word in
            *=*) pre=${word%%=*}= ;;
            unix:*|hybrid:*) pre=${word%%:*}: ;;
        esac
        local IFS=$'\n'
        for c in $(compgen -f -- "${word#"$pre"}"); do
            [[ -d $c ]] && c+=/
            out+=("$pre$c")
        done
    else
        for c in $(compgen -W "$cands" -- "$word"); do
            out+=("$c")
        done
    fi
    # bash replaces only the part after the last ':' or '=': drop the rest.
    local cur=${COMP_WORDS[COMP_CWORD]} strip=""
    [[ $cur == [:=] ]] && cur=""
    strip=${word%"$cur"}
    COMPREPLY=()
    for c in "${out[@]}"; do
        COMPREPLY+=("${c#"$strip"}")
    done
    # No space after a prefix (tcp:) or a directory.
    if [[ ${#out[@]} -eq 1 && ${out[0]} == *[:/] ]] ||
       [[ $mode == files ]]; then
        compopt -o nospace 2>/dev/null
    fi
}

_hvecho()
{
    # The current word and the one before it as the shell sees them.
    local line=${COMP_LINE:0:COMP_POINT}
    local word=${line##*[[:space:]]}
    local before=${line%"$word"}
    before=${before%"${before##*[![:space:]]}"}
    local prev=${before##*[[:space:]]}
    local -a args
    read -ra args <<<"$before"

    local sub="" kind="" i a
    for ((i = 1; i < ${#args[@]}; i++)); do
        a=${args[i]}
        if [[ -z $sub ]]; then
            case $a in
                doctor|guid|register|unregister|bench|stress|probe) sub=$a ;;
            esac
        elif [[ $sub == bench && -z $kind && $a != -* ]]; then
            kind=$a
        fi
    done

    case $word in
        --message-file=*|--textfile=*) _hvecho_reply "$word" "" files; return ;;
        unix:*|hybrid:*) _hvecho_reply "$word" "" files; return ;;
    esac
    case $prev in
        --message-file|--textfile) _hvecho_reply "$word" "" files; return ;;
        -c|--client) _hvecho_reply "$word" "$_hvecho_targets"; return ;;
        -s|--server) _hvecho_reply "$word" "$_hvecho_listen"; return ;;
        -p|--service|-m|--message|--size|-t|--timeout|-n|--count|--bye|\
        --interval|\
        --max-conns|--idle-timeout|--max-bytes|--allow|--bytes|-d|\
        --duration|--hold|-P|--parallel|--max-size|--seed|--name|\
        --deadline|--every)
            COMPREPLY=(); return ;;
    esac

    case $sub in
        bench|stress)
            if [[ $sub == bench && -z $kind && $word != -* ]]; then
                _hvecho_reply "$word" "$_hvecho_bench_kinds"
            elif [[ $word == -* ]]; then
                _hvecho_reply "$word" "$_hvecho_bench_opts"
            else
                _hvecho_reply "$word" "$_hvecho_targets"
            fi ;;
        register|unregister)
            _hvecho_reply "$word" "$_hvecho_register_opts" ;;
        probe)
            if [[ $word == -* ]]; then
                _hvecho_reply "$word" "$_hvecho_probe_opts"
            else
                _hvecho_reply "$word" "$_hvecho_targets"
            fi ;;
        doctor)
            if [[ $word == -* ]]; then
                _hvecho_reply "$word" "-p --service --json -h --help"
            else
                _hvecho_reply "$word" "$_hvecho_targets"
            fi ;;
        guid) COMPREPLY=() ;;
        *)
            if [[ $word == -* ]]; then
                _hvecho_reply "$word" "$_hvecho_main_opts"
            else
                _hvecho_reply "$word" "$_hvecho_subcommands"
            fi ;;
    esac
}
complete -F _hvecho hvecho
