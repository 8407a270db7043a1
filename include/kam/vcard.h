#ifndef KAM_VCARD_H
#define KAM_VCARD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kam/store.h"

/* vCard reader (src/io/vcard.c): 3.0 and 4.0 as exported by Android (also
 * its 2.1 with QUOTED-PRINTABLE), Outlook and Apple. Handles folded lines,
 * group prefixes (item1.TEL), quoted-printable with CHARSET=UTF-8 and soft
 * line breaks, and the escapes \\ \, \; \n. Properties kam does not keep
 * (PHOTO, ADR, URL ...) are skipped. */

struct vcard_contact {
	char *name;       /* FN, else built from N (no space between CJK family and given names) */
	char *org;        /* first ORG component */
	char *department; /* second ORG component, or NULL */
	char *title;      /* TITLE */
	char **tels;      /* every TEL, in file order */
	size_t ntel;
	char **emails; /* every EMAIL, in file order */
	size_t nemail;
	int64_t bday; /* yyyymmdd; year 0 when the card gives --MMDD; 0 if none */
	char *note;
	int line; /* line of BEGIN:VCARD */
};

/* Parse every card of the file. On success *out holds *n contacts (free with
 * vcard_free). On error returns KAM_EINVAL and *cause lists every problem,
 * one per line, as "FILE:LINE:COL: error: message" (columns in code points,
 * 1-based); nothing is returned then. */
int vcard_read(const char *path, struct vcard_contact **out, size_t *n, char **cause);
/* Same from memory; `name` is used in messages. */
int vcard_parse(const char *name, const char *data, size_t len, struct vcard_contact **out, size_t *n, char **cause);
void vcard_free(struct vcard_contact *c, size_t n);

/* Import the file's contacts in ONE write txn, all or nothing. A card
 * matching an existing contact (e-mail first, then a shared phone number,
 * then the same folded name when only one contact has it) fills that
 * contact's empty fields instead of creating a new one. Writes one line per
 * card to out ("add contact 12 Name", "merge contact 3 Name", "same contact
 * 3 Name") and a summary. dry_run: nothing is committed. Parse errors:
 * KAM_EINVAL with every error in *cause, nothing written. */
int vcard_import(struct store *st, const char *path, int dry_run, FILE *out, char **cause);

#endif
