/*
 * cli.h - the command line: `chuishao COMMAND [SUBCOMMAND] [ARGS] [--OPTION VALUE]`.
 * Commands that read or change cases build an API request and run it through
 * api_handle in-process, so the CLI and HTTP share every rule. Exit codes:
 * 0 ok, 1 failure outside the API, 2 usage, 3 not found, 4 invalid input,
 * 5 not allowed, 6 conflict, 7 store/internal error (docs/cli.md).
 */
#ifndef CHUISHAO_CLI_H
#define CHUISHAO_CLI_H

/* Runs the command in argv; returns the process exit code. */
int cli_main(int argc, char **argv);

#endif
