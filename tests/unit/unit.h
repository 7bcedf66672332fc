/* mdevkit-unit: one test driver program for the pure parts of the
 * library.  Each subcommand is a function of this shape, listed in the
 * table in main.c; a file of tests/unit/ adds its functions here and its
 * rows there.  A subcommand prints its result on stdout and returns the
 * exit status (2 for a usage error). */
#ifndef MDEVKIT_UNIT_H
#define MDEVKIT_UNIT_H

typedef int (*unit_fn)(int argc, char **argv);

struct unit_cmd {
	const char *name;
	unit_fn run;
	const char *usage;      /* the arguments, for the help text */
};

/* gvt.c */
int unit_gvt_avail(int argc, char **argv);
int unit_gvt_fit(int argc, char **argv);
int unit_gvt_min_aperture(int argc, char **argv);
int unit_gvt_host_check(int argc, char **argv);
int unit_gvt_name(int argc, char **argv);
int unit_gvt_desc(int argc, char **argv);
int unit_gvt_resource(int argc, char **argv);
int unit_check_summary(int argc, char **argv);
int unit_gvt_details(int argc, char **argv);

/* hostconf.c */
int unit_kmsg(int argc, char **argv);
int unit_cmdline(int argc, char **argv);
int unit_modprobe(int argc, char **argv);
int unit_modlists(int argc, char **argv);
int unit_kmods(int argc, char **argv);

#endif
