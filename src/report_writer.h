/*
 * report_writer.h: the report's outputs as a table.  report.c keeps a
 * list of sinks, one per output the options asked for, and hands every
 * event of the run to each: the header, a check's result, free text,
 * the summary, and close, which says whether everything reached its
 * file.  A writer knows only its sink and the facts of the run it is
 * given (report_fmt.h); it never calls back into report.c.
 */
#ifndef REPORT_WRITER_H
#define REPORT_WRITER_H

#include <stdio.h>

#include "report_fmt.h"

struct report_sink;

struct report_writer {
	const char	*name;		/* "--output", "--tap", ... */
	void	(*header)(struct report_sink *, const struct report_run *);
	void	(*result)(struct report_sink *, const struct report_run *,
		    const struct report_check *);
	void	(*text)(struct report_sink *, const struct report_run *,
		    const char *);
	void	(*summary)(struct report_sink *, const struct report_run *);
	/*
	 * Whether everything so far reached the output: 0, or -1 with err.
	 * NULL: report.c flushes the sink's FILE and looks at ferror().
	 */
	int	(*flush)(struct report_sink *, char *, size_t);
	/* Flush and close: 0, or -1 with err when output was lost. */
	int	(*close)(struct report_sink *, char *, size_t);
};

struct report_sink {
	const struct report_writer *w;
	FILE		*f;		/* stdout, or a file of its own */
	const char	*path;		/* the file, NULL for stdout */
	int		 colour;	/* text: colour the result words */
	unsigned	 n;		/* results written so far */
	void		*priv;		/* the writer's own state */
	int		 lost;		/* output lost: said once */
	int		 err_no;	/* errno of the first loss */
	int		 done;		/* its summary is written */
	int		 once;		/* written at the summary only */
	unsigned	 errors_seen;	/* run errors when it was */
};

extern const struct report_writer report_text_writer;
extern const struct report_writer report_tap_writer;
extern const struct report_writer report_json_writer;
extern const struct report_writer report_junit_writer;

/* report_text.c: flush and close a stream sink (text, TAP, JSON). */
int	 report_stream_close(struct report_sink *, char *, size_t);

/* Escaping, shared with the unit tests. */
void	 report_tap_yaml_string(FILE *, const char *);
void	 report_json_string(FILE *, const char *);
void	 report_xml_string(FILE *, const char *);

/* report_junit.c: the document is rewritten whole; open checks the path. */
int	 report_junit_open(struct report_sink *, const char *, char *,
	    size_t);

/* report_tty.c: the progress line and colour, for a person. */
void	 report_tty_init(void);
int	 report_tty_colour(FILE *);
void	 report_tty_draw(const struct report_run *, int);
void	 report_tty_tick(const struct report_run *, const char *, uint64_t,
	    uint64_t);
void	 report_tty_clear(void);

#endif
