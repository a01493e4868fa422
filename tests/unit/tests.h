/* tests.h - every unit test, by group. test_main.c runs a group (or all)
 * and prints one line per test and a closing "N passed, N failed". */
#ifndef HVECHO_TESTS_H
#define HVECHO_TESTS_H

#define HVE_TEST_LIST(X)                                                     \
    X(guid, test_guid_roundtrip)                                             \
    X(guid, test_guid_rejects)                                               \
    X(guid, test_guid_names)                                                 \
    X(guid, test_guid_port)                                                  \
    X(addr, test_target_linux)                                               \
    X(addr, test_target_windows)                                             \
    X(addr, test_target_tcp_unix)                                            \
    X(addr, test_listen)                                                     \
    X(addr, test_service)                                                    \
    X(addr, test_addr_format)                                                \
    X(hybrid, test_hybrid_parse)                                             \
    X(hybrid, test_hybrid_client)                                            \
    X(error, test_error_table)                                               \
    X(error, test_error_errno)                                               \
    X(error, test_error_wsa)                                                 \
    X(text, test_escape)                                                     \
    X(text, test_json_escape)                                                \
    X(text, test_unescape)                                                   \
    X(text, test_size_parse)                                                 \
    X(text, test_escape_utf8)                                                \
    X(text, test_count_parse)                                                \
    X(text, test_test_data)                                                  \
    X(event, test_describe_progress)                                         \
    X(event, test_describe_data)                                             \
    X(event, test_describe_bye)                                              \
    X(event, test_describe_closed)                                           \
    X(event, test_describe_end)                                              \
    X(event, test_tally)                                                     \
    X(event, test_tally_dropped)                                             \
    X(event, test_event_json)                                                \
    X(event, test_event_reuse)                                               \
    X(text, test_fill_repeat)                                                \
    X(text, test_client_opts_message)                                        \
    X(protocol, test_client_partial_io)                                      \
    X(protocol, test_client_failures)                                        \
    X(protocol, test_closed_bytes)                                           \
    X(protocol, test_closed_bytes_cancelled)                                 \
    X(protocol, test_client_repeat)                                          \
    X(protocol, test_seed_bye)                                               \
    X(protocol, test_unlink_only_ours)                                       \
    X(protocol, test_server_partial_io)                                      \
    X(protocol, test_client_server)                                          \
    X(protocol, test_server_survives_reset)                                  \
    X(session, test_stop_with_clients)                                       \
    X(session, test_stop_while_connecting)                                   \
    X(session, test_wake_callback)                                           \
    X(stats, test_stats_golden)                                              \
    X(stats, test_stats_precision)                                           \
    X(stats, test_hexdump)                                                   \
    X(stats, test_duration_parse)                                            \
    X(stats, test_stats_axis)                                            \
    X(run, test_run_numbering)                                               \
    X(run, test_run_keep_going)                                              \
    X(run, test_run_until_stopped)                                           \
    X(run, test_server_clients)                                              \
    X(run, test_run_owner_lags)                                           \
    X(run, test_run_message_taken)                                           \
    X(run, test_run_dropped_counts)                                          \
    X(run, test_server_only_failures)                                        \
    X(history, test_history_mru)                                             \
    X(history, test_history_text)                                            \
    X(export, test_csv_field)                                                \
    X(export, test_export_rows)                                              \
    X(monitor, test_prom_escape)                                             \
    X(monitor, test_probe_result)                                            \
    X(monitor, test_monitor_format)                                          \
    X(monitor, test_file_replace)                                            \
    X(monitor, test_socket_activated)                                       \
    X(ui_text, test_ui_kinds)                                                \
    X(ui_text, test_ui_phrases)                                              \
    X(ui_text, test_ui_mnemonic)                                             \
    X(ui_text, test_ui_client_line)

/* Runs a client session (target text, Linux rules, the default service,
 * 1-byte reads and writes) to its end; returns FINISHED's err, and fills
 * the bye, the last error event's detail and the event kinds seen (a bit
 * mask) when those are not NULL. In test_protocol.c. */
#include <stddef.h>
int unit_client_session(const char *target, const char *msg, int timeout_ms,
                        char *bye, size_t byelen, char *error,
                        size_t errlen, int *events_seen);

#define HVE_DECLARE(group, fn) void fn(void);
HVE_TEST_LIST(HVE_DECLARE)
#undef HVE_DECLARE

#endif
