/* doctor.h - `hvecho doctor`: what this machine can do, then a real
 * handshake over each local transport. Main thread only. */
#ifndef HVECHO_CLI_DOCTOR_H
#define HVECHO_CLI_DOCTOR_H

#include "options.h"

int doctor_main(const cli_opts *o);

#endif
