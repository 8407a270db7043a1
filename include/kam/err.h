#ifndef KAM_ERR_H
#define KAM_ERR_H

/* Functions return 0 on success or one of these negative codes. Human detail
 * travels in a caller-freed `char **cause` out-parameter (tmux style). */
enum kam_err {
	KAM_OK = 0,
	KAM_EINVAL = -1,      /* bad input: nothing was written */
	KAM_ENOTFOUND = -2,   /* no such record */
	KAM_ECONFLICT = -3,   /* record changed since it was read */
	KAM_EEXIST = -4,      /* duplicate where one is not allowed */
	KAM_EREFERENCED = -5, /* delete refused: other records point here */
	KAM_ESTORE = -6,      /* storage or internal error */
	KAM_EFULL = -7,       /* map or disk full */
	KAM_EUSAGE = -8,      /* command line misuse */
	KAM_ELOCKED = -9,     /* database busy or read-only */
	KAM_EFINDINGS = -10   /* checks found problems (not an error of kam) */
};

/* Exit codes of the command line (CONVENTIONS section 8). */
enum kam_exit {
	KAM_EXIT_OK = 0,
	KAM_EXIT_FINDINGS = 1,
	KAM_EXIT_USAGE = 2,
	KAM_EXIT_INPUT = 3,
	KAM_EXIT_CONFLICT = 4,
	KAM_EXIT_INTERNAL = 5
};

const char *kam_strerror(int err);
int kam_exit_code(int err);

#endif
