/* resource.h - the ids of the dialog, its controls, the icon and the
 * version resource, shared by hvecho.rc, the dialog code and the test
 * driver (tests/windows/dlgdriver.c), which finds controls by these ids. */
#ifndef HVECHO_GUI_RESOURCE_H
#define HVECHO_GUI_RESOURCE_H

#define IDI_HVECHO 1
#define IDD_MAIN 100

/* mode */
#define IDC_MODE_SERVER 1001
#define IDC_MODE_CLIENT 1002
/* server */
#define IDC_LISTEN 1010      /* host:port or socket path */
#define IDC_BYE 1011
#define IDC_START 1012
#define IDC_STOP 1013
#define IDC_LISTEN_KIND 1014 /* combo: LISTEN_* below */
#define IDC_LISTEN_CHECK 1015
#define IDC_SERVER_STATUS 1016
/* client */
#define IDC_TARGET_KIND 1020 /* combo: TARGET_* below */
#define IDC_TARGET_ARG 1021  /* VM GUID, host:port or socket path */
#define IDC_TARGET_CHECK 1022
#define IDC_MESSAGE 1023
#define IDC_TIMEOUT 1024
#define IDC_TIMEOUT_SPIN 1025
#define IDC_SEND 1026
#define IDC_CANCEL_SEND 1027 /* stops the running client */
#define IDC_REPEAT 1028
#define IDC_REPEAT_SPIN 1029
#define IDC_FILL 1033        /* "Fill to": a size such as 64K */
#define IDC_MSG_SIZE 1034    /* what will be sent: "14 bytes" */
#define IDC_DECODE 1035      /* read \n \t \xHH in the message */
#define IDC_CLIENT_STATUS 1036 /* the outcome line, the live figures */
#define IDC_INTERVAL 1037      /* between handshakes: 250ms, 1s */
#define IDC_UNTIL_STOPPED 1038
#define IDC_KEEP_GOING 1039    /* "Continue on error" */
/* service, both modes */
#define IDC_SERVICE 1030
#define IDC_SERVICE_OTHER 1031
#define IDC_SERVICE_WARN 1032
/* log */
#define IDC_LOG 1040
#define IDC_CLEAR 1041
#define IDC_SAVE 1042
#define IDC_COPY 1043
#define IDC_COPY_PS 1044
#define IDC_REGISTER 1045
#define IDC_STATUS 1046
#define IDC_ABOUT 1047
#define IDC_DETAIL 1048        /* the selected row: full text, hex dump */
#define IDC_CHART 1049         /* round trips (chart.c) */
#define IDC_CLIENTS 1051       /* the server's connected clients */
/* labels and group boxes that move when the dialog is resized */
#define IDC_LOG_LABEL 1050
#define IDC_DETAIL_LABEL 1052
#define IDC_CHART_LABEL 1053
#define IDC_CLIENTS_LABEL 1054
/* the labels of the run options, in the core's words */
#define IDC_TIMEOUT_LABEL 1055
#define IDC_REPEAT_LABEL 1056
#define IDC_INTERVAL_LABEL 1057
#define IDC_FILL_LABEL 1058
#define IDC_BYE_LABEL 1059
#define IDC_CLIENT_FIGURES 1060 /* the run's live line, then its summary */

/* The chart's window class (chart.c); its window text is the chart in
 * words. */
#define CHART_CLASS L"HvechoChart"
#define CHART_CLASS_A "HvechoChart"

/* The order of the listen combo's items: the core's list for Windows
 * (hve_ui_kinds, ui_text.h), whose words and hints the dialog shows. */
#define LISTEN_WILDCARD 0
#define LISTEN_LOOPBACK 1
#define LISTEN_TCP 2
#define LISTEN_UNIX 3
#define LISTEN_HYBRID 4
#define LISTEN_KINDS 5

/* The order of the target combo's items: the core's list for Windows. */
#define TARGET_LOOPBACK 0
#define TARGET_PARENT 1
#define TARGET_CHILDREN 2
#define TARGET_VMGUID 3
#define TARGET_TCP 4
#define TARGET_UNIX 5
#define TARGET_HYBRID 6
#define TARGET_KINDS 7

/* Log columns, left to right. */
#define LOGCOL_TIME 0
#define LOGCOL_CONN 1
#define LOGCOL_EVENT 2
#define LOGCOL_PEER 3
#define LOGCOL_BYTES 4
#define LOGCOL_TOOK 5
#define LOGCOL_TEXT 6
#define LOGCOL_COUNT 7

/* Row marks, as the log gives them in an item's lParam. */
#define LOGROW_BYE 1
#define LOGROW_ERROR 2
#define LOGROW_NOTE 4
/* Sent to the dialog: answers the LOGROW_* marks of log row wParam (the
 * log is a virtual list: its items hold no lParam). For the test driver
 * and accessibility tools. */
#define WM_APP_ROWMARKS (WM_APP + 4)

#endif
