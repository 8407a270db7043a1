#include "kam/err.h"

#include <stdarg.h>

#include "kam/util.h"

const char *kam_strerror(int err)
{
	switch (err) {
	case KAM_OK:
		return "success";
	case KAM_EINVAL:
		return "invalid input";
	case KAM_ENOTFOUND:
		return "not found";
	case KAM_ECONFLICT:
		return "record changed since it was read";
	case KAM_EEXIST:
		return "already exists";
	case KAM_EREFERENCED:
		return "still referenced by other records";
	case KAM_ESTORE:
		return "storage or internal error";
	case KAM_EFULL:
		return "database or disk full";
	case KAM_EUSAGE:
		return "usage error";
	case KAM_ELOCKED:
		return "database busy or read-only";
	case KAM_EFINDINGS:
		return "checks found problems";
	}
	return "unknown error";
}

int kam_exit_code(int err)
{
	switch (err) {
	case KAM_OK:
		return KAM_EXIT_OK;
	case KAM_EFINDINGS:
		return KAM_EXIT_FINDINGS;
	case KAM_EUSAGE:
		return KAM_EXIT_USAGE;
	case KAM_EINVAL:
	case KAM_ENOTFOUND:
	case KAM_EEXIST:
	case KAM_EREFERENCED:
		return KAM_EXIT_INPUT;
	case KAM_ECONFLICT:
	case KAM_ELOCKED:
		return KAM_EXIT_CONFLICT;
	}
	/* ESTORE, EFULL and anything unexpected: our fault, not the user's. */
	return KAM_EXIT_INTERNAL;
}

int set_cause(char **cause, int err, const char *fmt, ...)
{
	va_list ap;

	if (cause == NULL || *cause != NULL)
		return err;
	va_start(ap, fmt);
	*cause = xvasprintf(fmt, ap);
	va_end(ap);
	return err;
}
