# hvecho.fish - fish completion for hvecho(1): subcommands, options, the
# target kinds of -c / bench / stress, the listen addresses of -s, file
# names for --message-file, --textfile, unix:PATH and hybrid:PATH. Installed in
# /usr/share/fish/vendor_completions.d.
# tests/package (case drift) checks it offers every option of hvecho --help.

set -l __hvecho_subs doctor guid register unregister bench stress probe
set -l __hvecho_kinds latency throughput connections idle

# True when the token before the cursor is one of the arguments.
function __hvecho_prev_is
    set -l toks (commandline -opc)
    contains -- $toks[-1] $argv
end

# True at the first argument: subcommands are only ever the first.
function __hvecho_first
    test (count (commandline -opc)) -eq 1
end

# After unix: or hybrid:, file names (true then).
function __hvecho_socket_paths
    set -l tok (commandline -ct)
    for kind in unix: hybrid:
        if string match -q -- "$kind*" $tok
            for f in (__fish_complete_path (string replace -- $kind '' $tok))
                echo $kind$f
            end
            return 0
        end
    end
    return 1
end

# The targets (-c, bench, stress): names, prefixes, unix:<files>.
function __hvecho_targets
    __hvecho_socket_paths; and return
    printf '%s\t%s\n' \
        loopback 'this machine: CID 1 (vsock_loopback) / HV_GUID_LOOPBACK' \
        parent 'the host, from a guest: CID 2 / HV_GUID_PARENT' \
        children 'Windows: HV_GUID_CHILDREN' \
        silohost 'Windows: HV_GUID_SILOHOST' \
        broadcast 'Windows: HV_GUID_BROADCAST' \
        wildcard 'Windows: HV_GUID_WILDCARD' \
        cid: 'Linux: vsock CID N (or just N)' \
        tcp: 'tcp:HOST:PORT, tcp:[::1]:PORT' \
        unix: 'unix:PATH, a Unix-domain socket' \
        hybrid: 'hybrid:PATH[:PORT], Firecracker / Cloud Hypervisor hybrid vsock'
end

# The listen addresses (-s).
function __hvecho_listen
    __hvecho_socket_paths; and return
    printf '%s\t%s\n' \
        wildcard 'any VM (default)' \
        loopback 'this machine only' \
        tcp: 'tcp:HOST:PORT' \
        unix: 'unix:PATH' \
        hybrid: 'hybrid:PATH[:PORT], binds PATH_PORT for the VMM' \
        systemd: 'the socket systemd hands over (socket activation)'
end

complete -c hvecho -f

# Subcommands, first.
set -l main "not __fish_seen_subcommand_from $__hvecho_subs"
complete -c hvecho -n __hvecho_first -a doctor -d 'what this machine can do, with a real handshake'
complete -c hvecho -n __hvecho_first -a guid -d 'convert a vsock port to its service GUID and back'
complete -c hvecho -n __hvecho_first -a register -d 'Windows host: allow VMs on the service (admin)'
complete -c hvecho -n __hvecho_first -a unregister -d 'Windows host: remove the service (admin)'
complete -c hvecho -n __hvecho_first -a bench -d 'benchmarks against any echo server'
complete -c hvecho -n __hvecho_first -a stress -d 'many clients, random sizes, every byte checked'
complete -c hvecho -n __hvecho_first -a probe -d 'monitoring: handshakes to many targets, Prometheus metrics'

# Server and client.
complete -c hvecho -n $main -s s -l server -d 'run the echo server'
complete -c hvecho -n $main -s c -l client -d 'send a message, check the echo, wait for the bye'
complete -c hvecho -n "$main; and __hvecho_prev_is -c --client" -a '(__hvecho_targets)'
complete -c hvecho -n "$main; and __hvecho_prev_is -s --server" -a '(__hvecho_listen)'
complete -c hvecho -n $main -s p -l service -x -d 'the service: GUID or port'
complete -c hvecho -n $main -s m -l message -x -d 'the message'
complete -c hvecho -n $main -l message-file -r -F -d 'send the bytes of a file (- for stdin)'
complete -c hvecho -n $main -l size -x -d 'send BYTES of generated data (K, M, G)'
complete -c hvecho -n $main -s t -l timeout -x -d 'connect and each read, seconds'
complete -c hvecho -n $main -s n -l count -x -d 'N handshakes in a row'
complete -c hvecho -n $main -l forever -d 'handshakes until Ctrl+C'
complete -c hvecho -n $main -l interval -x -d 'wait between handshakes: 250ms, 1.5s, 2m'
complete -c hvecho -n $main -l keep-going -d 'a failed handshake does not end the run'
complete -c hvecho -n $main -l no-bye -d 'the peer only echoes: end of stream completes the handshake'
complete -c hvecho -n $main -l bye -x -d 'server: the bye to send'
complete -c hvecho -n $main -s 1 -l once -d 'server: serve one client, exit with its result'
complete -c hvecho -n $main -l max-conns -x -d 'server: connections at once'
complete -c hvecho -n $main -l idle-timeout -x -d 'server: close peers idle this long'
complete -c hvecho -n $main -l max-bytes -x -d 'server: close a peer that sends more'
complete -c hvecho -n $main -l allow -x -d 'server: keep only these peers'
complete -c hvecho -n $main -s q -l quiet -d 'only errors and the result'
complete -c hvecho -n $main -s v -l verbose -d 'also every read and write'
complete -c hvecho -n $main -l json -d 'one JSON object per event'
complete -c hvecho -n $main -s h -l help -d 'the help'
complete -c hvecho -n $main -s V -l version -d 'the version'

# doctor [TARGET]
complete -c hvecho -n "__fish_seen_subcommand_from doctor; and not string match -q -- '-*' (commandline -ct)" -a '(__hvecho_targets)'
complete -c hvecho -n '__fish_seen_subcommand_from doctor' -s p -l service -x -d 'the service: GUID or port'
complete -c hvecho -n '__fish_seen_subcommand_from doctor' -l json -d 'one JSON object per line'

# bench, stress
set -l bench '__fish_seen_subcommand_from bench stress'
complete -c hvecho -n "__fish_seen_subcommand_from bench; and not __fish_seen_subcommand_from $__hvecho_kinds" \
    -a 'latency\t"round trip p50/p90/p99/max" throughput\t"MB/s echoed" connections\t"handshakes per second" idle\t"hold idle connections"'
complete -c hvecho -n "__fish_seen_subcommand_from stress $__hvecho_kinds; and not string match -q -- '-*' (commandline -ct)" -a '(__hvecho_targets)'
complete -c hvecho -n $bench -s p -l service -x -d 'the service: GUID or port'
complete -c hvecho -n $bench -s t -l timeout -x -d 'connect, and seconds without progress'
complete -c hvecho -n $bench -s n -l count -x -d 'messages, handshakes or connections'
complete -c hvecho -n $bench -l size -x -d 'message size'
complete -c hvecho -n $bench -l bytes -x -d 'throughput: how much to stream'
complete -c hvecho -n $bench -s d -l duration -x -d 'seconds instead of a count'
complete -c hvecho -n $bench -l hold -x -d 'idle: hold this many seconds'
complete -c hvecho -n $bench -s P -l parallel -x -d 'at a time'
complete -c hvecho -n $bench -l max-size -x -d 'stress: largest random message'
complete -c hvecho -n $bench -l seed -x -d 'stress: seed of the random sizes'
complete -c hvecho -n $bench -l no-bye -d 'the peer only echoes, sends no bye'
complete -c hvecho -n $bench -l json -d 'one JSON object per result'
complete -c hvecho -n $bench -s q -l quiet -d 'only the result'
complete -c hvecho -n $bench -s h -l help -d 'the help'

# register, unregister
set -l reg '__fish_seen_subcommand_from register unregister'
complete -c hvecho -n $reg -s p -l service -x -d 'the service: GUID or port'
complete -c hvecho -n '__fish_seen_subcommand_from register' -l name -x -d 'the ElementName (default hvecho)'
complete -c hvecho -n $reg -l print -d 'only print the PowerShell'
complete -c hvecho -n $reg -s h -l help -d 'the help'

# probe
set -l probe '__fish_seen_subcommand_from probe'
complete -c hvecho -n "$probe; and not string match -q -- '-*' (commandline -ct)" -a '(__hvecho_targets)'
complete -c hvecho -n $probe -s p -l service -x -d 'the service of vsock / Hyper-V targets'
complete -c hvecho -n $probe -s m -l message -x -d 'the message'
complete -c hvecho -n $probe -s t -l timeout -x -d 'connect and each read, seconds'
complete -c hvecho -n $probe -l deadline -x -d 'the whole handshake of one target'
complete -c hvecho -n $probe -l every -x -d 'probe again every DURATION'
complete -c hvecho -n $probe -s n -l count -x -d 'stop after N rounds'
complete -c hvecho -n $probe -l textfile -r -F -d 'Prometheus textfile to replace after each round'
complete -c hvecho -n $probe -l json -d 'one JSON object per target per round'
complete -c hvecho -n $probe -s q -l quiet -d 'print failures only'
complete -c hvecho -n $probe -s h -l help -d 'the help'
