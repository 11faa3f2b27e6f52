/*-------------------------------------------------------------------------
 *
 * stream.c
 *	  The streaming processor: CSV files far larger than memory read as
 *	  rows (chronos_read_csv) or imported as compressed segments
 *	  (chronos_import_csv), a file cut into chunks at line ends
 *	  (chronos_file_chunks), and a stored series walked chunk by chunk
 *	  (chronos_chunks).
 *
 * Design
 * ------
 * The tokenizer, the number and the ISO time parsers are a pure C library
 * (src/csv/csv.h), which keeps no pointer into the bytes it is given.  This
 * file feeds it windows of the file and turns its records into rows or
 * segments; four ideas carry it.
 *
 * 1. Windows, accounted.  A file is read through windows of
 *	  chronos.stream_window_kb bytes, either read with pread() into a buffer
 *	  allocated through the memory manager (the default), or mmap()'d
 *	  (chronos.stream_method = 'mmap': MAP_PRIVATE, advised sequential,
 *	  unmapped as the reader moves on).  When a record does not end in the
 *	  window, the window slides so that it starts at that record (the
 *	  library says where: cts_csv_resume_offset); the window is also the
 *	  longest record accepted, so a longer line is an error naming the
 *	  setting, never a reason to grow memory.  A file is read as long as it
 *	  was when it was opened; one that shrinks or grows meanwhile is an
 *	  error, not a silently partial read.
 *
 * 2. A mapped file may be truncated under us.  Touching a page past the
 *	  new end of a mapped file raises SIGBUS, and a backend dying on a signal
 *	  makes the postmaster reset every session (DESIGN.md fact 8).  While a
 *	  reader touches its mapping (stream_guarded), a SIGBUS handler is
 *	  armed: a fault inside the mapping siglongjmps back to the guard, which
 *	  restores PostgreSQL's exception and error-context stacks as PG_TRY
 *	  would and raises an ordinary ERROR.  The handler is installed only
 *	  while a mapping exists and the previous one is restored afterwards; a
 *	  fault anywhere else goes to the previous handler, as if chronos were
 *	  not there.  With pread a truncated file is a short read, the same
 *	  ERROR.
 *
 * 3. Everything is released however the query ends.  The file descriptor
 *	  (counted with AcquireExternalFD), the mapping, the SIGBUS handler and
 *	  the progress report belong to a reset callback of the reader's memory
 *	  operation, which lives in the set-returning function's multi-call
 *	  context.  PostgreSQL deletes that context at the end of the function,
 *	  when a LIMIT stops the query early (the executor shuts the function
 *	  down), at a rescan, and on ERROR or cancel; the callback runs each
 *	  time, and the memory manager's own callback gives the accounting back.
 *
 * 4. An import holds a bounded number of points whatever the file.  Each
 *	  series (a value column, per key when a key column is given) has a
 *	  point buffer that grows by doubling up to segment_size points plus a
 *	  tail of segment_size / 16; when it is full, the buffer is sorted
 *	  (stably, so equal times keep their file order), its first
 *	  segment_size points become a segment, and the latest points stay, so
 *	  that rows a little out of order still land in the right segment.
 *	  All buffers together must fit in what is left of
 *	  chronos.max_memory_mb after the rest of the import and a reserve for
 *	  encoding the largest segment; a buffer that would grow past that makes
 *	  the largest buffer (by capacity) flush early, as a shorter segment.
 *	  A point earlier than the last segment already written for its series
 *	  cannot be placed any more: that is an error saying so, with the fix.
 *	  Each distinct series costs a small fixed record (its name, its last
 *	  time) for the whole import.
 *
 * Rows come out one per call (value-per-call SRFs), so in the select list
 * they stream; in FROM PostgreSQL materializes them first (DESIGN.md fact
 * 1), which for chronos_import_csv is a few compressed rows.
 *
 * Counting.  Every physical line is counted once, as a header line, a
 * blank line, a line of a record, or a line of a record skipped as
 * malformed (on_error => 'skip'), and every value cell of a record read as
 * a value or as missing (empty, NA, N/A, null, NaN).  The counts are
 * reported in one NOTICE at the end of the file when anything was skipped
 * or missing (at DEBUG1 otherwise), and they add up.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  src/stream.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/pg_authid.h"
#include "catalog/pg_type.h"
#include "commands/progress.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "pgtime.h"
#include "storage/fd.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/backend_progress.h"
#include "utils/backend_status.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "compact_ts.h"
#include "compat.h"
#include "csv/csv.h"
#include "memory.h"
#include "stream.h"

PG_FUNCTION_INFO_V1(chronos_read_csv);
PG_FUNCTION_INFO_V1(chronos_import_csv);
PG_FUNCTION_INFO_V1(chronos_file_chunks);
PG_FUNCTION_INFO_V1(compact_ts_chunks);

/* Data records looked at to decide which columns are numeric. */
#define STREAM_SAMPLE_RECORDS	1000
/* Skipped lines reported one by one in a WARNING; the rest only counted. */
#define STREAM_SKIP_WARNINGS	5
/* Bytes of a line or a cell quoted in a message. */
#define STREAM_QUOTE_BYTES		60
/* Longest time text whose conversion is remembered for the next record. */
#define STREAM_TIME_CACHE		64
/* Fields the column discovery makes room for at first. */
#define STREAM_INITIAL_FIELDS	64
/* The tail a full buffer keeps back: segment_size / 16. */
#define STREAM_TAIL_DIVISOR		16
/* segment_size bounds (chronos.chunk_size's upper bound). */
#define STREAM_MAX_SEGMENT		100000000
/*
 * Encoding a segment of n points needs, besides its points: the stable
 * sort's merge buffer (16 bytes a point, freed before encoding) or the
 * encoder's transients (the block payloads, which grow by doubling, and the
 * value assembled at its exact size: three times the encoded size, at most
 * about 10 bytes a point in the worst realistic case).  48 bytes a point
 * covers either, plus STREAM_FLUSH_MARGIN for the block index and
 * workspace.
 */
#define STREAM_FLUSH_BYTES		48
#define STREAM_FLUSH_MARGIN		((Size) 512 * 1024)

/* GUC variables */
int			chronos_stream_window_kb = 1024;
int			chronos_stream_method = CHRONOS_STREAM_PREAD;

static const struct config_enum_entry stream_method_options[] = {
	{"pread", CHRONOS_STREAM_PREAD, false},
	{"mmap", CHRONOS_STREAM_MMAP, false},
	{NULL, 0, false}
};

/* ----------------------------------------------------------------
 *		A file and its windows
 * ----------------------------------------------------------------
 */

typedef struct StreamFile
{
	ChronosMemOp *op;			/* owns the buffers; its context owns us */
	const char *fname;			/* the SQL function, for the error context */
	char	   *path;
	int			fd;				/* -1 when closed */
	bool		fd_reserved;	/* AcquireExternalFD() succeeded */
	uint64		size;			/* bytes, when opened */
	int			method;			/* ChronosStreamMethod */
	size_t		window;			/* bytes */

	/* the current window: bytes [win_base, win_base + win_len) of the file */
	const char *win;
	size_t		win_len;
	uint64		win_base;
	bool		at_eof;			/* the window reaches the end of the file */

	char	   *buf;			/* pread: the window buffer */
	char	   *map;			/* mmap: the mapping, or NULL */
	size_t		map_len;
	bool		sigbus;			/* holds a reference to the SIGBUS handler */
	bool		progress;		/* reports in pg_stat_progress_copy */

	uint64		line;			/* line being read, for the context (0: none) */
	ErrorContextCallback errcb;
	MemoryContextCallback release;
} StreamFile;

/*
 * The SIGBUS guard.  stream_guarded() pushes one while a reader touches its
 * mapping; the handler jumps back to the innermost one when the fault is in
 * its file's mapping.
 */
typedef struct StreamGuard
{
	sigjmp_buf	jmp;
	StreamFile *file;
	struct StreamGuard *prev;
} StreamGuard;

static StreamGuard *volatile stream_active_guard = NULL;
static int	stream_sigbus_users = 0;
static struct sigaction stream_prev_sigbus;
static size_t stream_page_size = 0;

/*
 * stream_sigbus_handler
 *		A SIGBUS inside the mapping of the innermost guarded reader jumps
 *		back to its guard.  Anything else goes to the handler that was there
 *		before chronos: a fault re-executes under it, a signal sent by
 *		another process is raised again.
 */
static void
stream_sigbus_handler(int signo, siginfo_t *info, void *context)
{
	StreamGuard *g = stream_active_guard;

	if (g != NULL && info != NULL && g->file->map != NULL &&
		(char *) info->si_addr >= g->file->map &&
		(char *) info->si_addr < g->file->map + g->file->map_len)
		siglongjmp(g->jmp, 1);

	sigaction(SIGBUS, &stream_prev_sigbus, NULL);
	stream_sigbus_users = 0;
	if (info == NULL || info->si_code <= 0)
		raise(signo);
}

/*
 * stream_sigbus_acquire / stream_sigbus_release
 *		Install chronos's SIGBUS handler for the first mapping and restore
 *		the previous one when the last goes.
 */
static void
stream_sigbus_acquire(StreamFile *f)
{
	if (stream_sigbus_users == 0)
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = stream_sigbus_handler;
		/* NODEFER: after a jump out of the handler SIGBUS is not blocked */
		sa.sa_flags = SA_SIGINFO | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGBUS, &sa, &stream_prev_sigbus) != 0)
			elog(ERROR, "could not install the SIGBUS handler: %m");
	}
	stream_sigbus_users++;
	f->sigbus = true;
}

static void
stream_sigbus_release(StreamFile *f)
{
	if (!f->sigbus)
		return;
	f->sigbus = false;
	if (stream_sigbus_users > 0 && --stream_sigbus_users == 0)
		sigaction(SIGBUS, &stream_prev_sigbus, NULL);
}

/*
 * stream_release
 *		Memory context reset callback of a reader's op: unmap, close the
 *		file, drop the SIGBUS handler, end the progress report.  Runs
 *		however the op's context goes away (end of the function, LIMIT,
 *		rescan, ERROR, cancel) and may run twice (stream_close calls it
 *		first): every step checks that it has something to do.  Never
 *		raises.
 */
static void
stream_release(void *arg)
{
	StreamFile *f = (StreamFile *) arg;

	if (f->map != NULL)
	{
		munmap(f->map, f->map_len);
		f->map = NULL;
		f->map_len = 0;
	}
	f->win = NULL;
	f->win_len = 0;
	stream_sigbus_release(f);
	if (f->fd >= 0)
	{
		close(f->fd);
		f->fd = -1;
	}
	if (f->fd_reserved)
	{
		ReleaseExternalFD();
		f->fd_reserved = false;
	}
	if (f->progress)
	{
		f->progress = false;
		if (MyBEEntry != NULL &&
			MyBEEntry->st_progress_command == PROGRESS_COMMAND_COPY)
			pgstat_progress_end_command();
	}
}

/*
 * stream_error_context
 *		"chronos_import_csv, file "/data/x.csv", line 12" under every message
 *		raised while a reader works.
 */
static void
stream_error_context(void *arg)
{
	StreamFile *f = (StreamFile *) arg;

	if (f->line > 0)
		errcontext("%s, file \"%s\", line %llu", f->fname, f->path,
				   (unsigned long long) f->line);
	else
		errcontext("%s, file \"%s\"", f->fname, f->path);
}

static void
stream_push_context(StreamFile *f)
{
	f->errcb.callback = stream_error_context;
	f->errcb.arg = f;
	f->errcb.previous = error_context_stack;
	error_context_stack = &f->errcb;
}

static void
stream_pop_context(StreamFile *f)
{
	if (error_context_stack == &f->errcb)
		error_context_stack = f->errcb.previous;
}

/*
 * stream_check_privilege
 *		Reading a server file takes what COPY FROM 'file' and pg_read_file
 *		take: superuser, or the privileges of pg_read_server_files.
 */
static void
stream_check_privilege(void)
{
	if (!superuser() && !has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to read server files"),
				 errdetail("Only superusers and roles with the privileges of the \"pg_read_server_files\" role may read files on the server."),
				 errhint("Load the file from the client instead: psql's \\copy into a staging table, then compact_ts_agg().")));
}

/*
 * stream_report_size_change
 *		The file is not as long as when it was opened: the error, with both
 *		sizes.
 *
 * fault: the SIGBUS guard caught a read of a mapped page that the
 *		truncation removed (said in the detail, which tests check).
 */
pg_noreturn static void
stream_report_size_change(StreamFile *f, bool fault)
{
	struct stat st;
	long long	now = -1;

	if (f->fd >= 0 && fstat(f->fd, &st) == 0)
		now = (long long) st.st_size;
	ereport(ERROR,
			(errcode(ERRCODE_IO_ERROR),
			 errmsg("file \"%s\" changed size while it was being read", f->path),
			 now >= 0 ?
			 errdetail("It had %llu bytes when reading started and has %lld bytes now.%s",
					   (unsigned long long) f->size, now,
					   fault ? " A memory-mapped page past its new end was read." : "") :
			 errdetail("It had %llu bytes when reading started.%s",
					   (unsigned long long) f->size,
					   fault ? " A memory-mapped page past its new end was read." : ""),
			 errhint("Do not truncate or append to a file while chronos reads it; read a copy.")));
}

/*
 * stream_check_size
 *		Raise the size-change error if the file is no longer f->size bytes.
 */
static void
stream_check_size(StreamFile *f)
{
	struct stat st;

	if (fstat(f->fd, &st) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not stat file \"%s\": %m", f->path)));
	if ((uint64) st.st_size != f->size)
		stream_report_size_change(f, false);
}

/*
 * stream_open
 *		Check the privilege and the path, open the file and prepare its
 *		windows.
 *
 * op: the reader's operation; the StreamFile lives in its context and the
 *		release callback is registered there, before anything is opened.
 * fname: the SQL function's name, for the error context.
 *
 * Refuses anything that is not a regular file (checked with fstat on the
 * opened descriptor, so that the check and the read concern the same
 * file); a FIFO is opened without blocking so that the check is reached.
 */
static StreamFile *
stream_open(ChronosMemOp *op, text *path_text, const char *fname)
{
	StreamFile *f;
	struct stat st;
	char	   *path;

	stream_check_privilege();

	path = text_to_cstring(path_text);
	if (!is_absolute_path(path))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("file path must be absolute: \"%s\"", path),
				 errhint("Give the whole path from the root directory, e.g. '/srv/data/readings.csv'.")));

	f = (StreamFile *) MemoryContextAllocZero(chronos_op_context(op), sizeof(StreamFile));
	f->op = op;
	f->fname = fname;
	f->path = MemoryContextStrdup(chronos_op_context(op), path);
	f->fd = -1;
	f->release.func = stream_release;
	f->release.arg = f;
	MemoryContextRegisterResetCallback(chronos_op_context(op), &f->release);

	if (!AcquireExternalFD())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("could not open file \"%s\" for reading: too many open files", path),
				 errhint("Close other files or raise max_files_per_process.")));
	f->fd_reserved = true;

	f->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (f->fd < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open file \"%s\" for reading: %m", path)));
	if (fstat(f->fd, &st) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not stat file \"%s\": %m", path)));
	if (S_ISDIR(st.st_mode))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is a directory", path)));
	if (!S_ISREG(st.st_mode))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a regular file", path),
				 errdetail("It is a %s.",
						   S_ISFIFO(st.st_mode) ? "FIFO (named pipe)" :
						   S_ISCHR(st.st_mode) ? "character device" :
						   S_ISBLK(st.st_mode) ? "block device" :
						   S_ISSOCK(st.st_mode) ? "socket" : "special file"),
				 errhint("chronos reads regular files only, whose size is known; copy the data into a file first.")));

	f->size = (uint64) st.st_size;
	f->method = chronos_stream_method;
	f->window = (size_t) chronos_stream_window_kb * 1024;
	if (stream_page_size == 0)
		stream_page_size = (size_t) sysconf(_SC_PAGESIZE);

	if (f->method == CHRONOS_STREAM_PREAD)
	{
		f->buf = (char *) chronos_alloc(op, f->window, "read window");
#ifdef POSIX_FADV_SEQUENTIAL
		(void) posix_fadvise(f->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	}
	else
		stream_sigbus_acquire(f);

	/* pg_stat_progress_copy, unless this backend already reports a command */
	if (MyBEEntry != NULL && MyBEEntry->st_progress_command == PROGRESS_COMMAND_INVALID)
	{
		const int	index[] = {PROGRESS_COPY_COMMAND, PROGRESS_COPY_TYPE,
		PROGRESS_COPY_BYTES_TOTAL};
		int64		val[3];

		val[0] = PROGRESS_COPY_COMMAND_FROM;
		val[1] = PROGRESS_COPY_TYPE_FILE;
		val[2] = (int64) f->size;
		pgstat_progress_start_command(PROGRESS_COMMAND_COPY, InvalidOid);
		pgstat_progress_update_multi_param(3, index, val);
		f->progress = true;
	}
	return f;
}

/*
 * stream_progress
 *		Update pg_stat_progress_copy: bytes read so far, rows (or points)
 *		produced, lines skipped.
 */
static void
stream_progress(StreamFile *f, uint64 bytes, uint64 tuples, uint64 excluded)
{
	const int	index[] = {PROGRESS_COPY_BYTES_PROCESSED,
		PROGRESS_COPY_TUPLES_PROCESSED, PROGRESS_COPY_TUPLES_EXCLUDED};
	int64		val[3];

	if (!f->progress)
		return;
	val[0] = (int64) bytes;
	val[1] = (int64) tuples;
	val[2] = (int64) excluded;
	pgstat_progress_update_multi_param(3, index, val);
}

/*
 * stream_load
 *		Make the window start at (or, mapped, shortly before) file offset
 *		offset and hold up to f->window bytes from there.
 *
 * pread: the bytes of the old window from offset on (usually the start of
 * a record that did not end in it) move to the front, and only the rest is
 * read.  A read that ends before the file's size at opening means the file
 * was truncated.  mmap: the old mapping goes, the new one starts at the
 * page holding offset; a file that has changed size is reported before it
 * is mapped.
 */
static void
stream_load(StreamFile *f, uint64 offset)
{
	Assert(offset <= f->size);

	if (f->method == CHRONOS_STREAM_PREAD)
	{
		size_t		keep = 0;
		size_t		want = (size_t) Min((uint64) f->window, f->size - offset);
		size_t		len;

		if (f->win_len > 0 && offset >= f->win_base &&
			offset < f->win_base + f->win_len)
		{
			keep = (size_t) (f->win_base + f->win_len - offset);
			memmove(f->buf, f->buf + (offset - f->win_base), keep);
		}
		len = Min(keep, want);
		while (len < want)
		{
			ssize_t		got;

			CHECK_FOR_INTERRUPTS();
			got = pread(f->fd, f->buf + len, want - len, (off_t) (offset + len));
			if (got < 0)
			{
				if (errno == EINTR)
					continue;
				ereport(ERROR,
						(errcode_for_file_access(),
						 errmsg("could not read file \"%s\": %m", f->path)));
			}
			if (got == 0)
				stream_report_size_change(f, false);
			len += (size_t) got;
		}
		f->win = f->buf;
		f->win_len = len;
		f->win_base = offset;
	}
	else
	{
		uint64		base = offset - offset % stream_page_size;
		size_t		len = (size_t) Min((uint64) f->window + (offset - base),
									   f->size - base);
		void	   *m;

		if (f->map != NULL)
		{
			munmap(f->map, f->map_len);
			f->map = NULL;
			f->map_len = 0;
		}
		stream_check_size(f);
		if (len == 0)
		{
			f->win = NULL;
			f->win_len = 0;
			f->win_base = offset;
		}
		else
		{
			m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, f->fd, (off_t) base);
			if (m == MAP_FAILED)
				ereport(ERROR,
						(errcode_for_file_access(),
						 errmsg("could not map file \"%s\": %m", f->path)));
			(void) madvise(m, len, MADV_SEQUENTIAL);
			f->map = (char *) m;
			f->map_len = len;
			f->win = f->map;
			f->win_len = len;
			f->win_base = base;
		}
	}
	f->at_eof = (f->win_base + f->win_len == f->size);
}

/*
 * stream_close
 *		Release the file now (the callback would at the end of the query),
 *		after checking that it still has the size it had.
 */
static void
stream_close(StreamFile *f)
{
	if (f->fd >= 0)
		stream_check_size(f);
	stream_release(f);
}

/*
 * stream_guarded
 *		Run fn(arg) under the SIGBUS guard when f is mapped (plainly
 *		otherwise) and return its result.
 *
 * A fault inside the mapping lands back here, with PostgreSQL's exception
 * and error-context stacks as they were when the guard was set (a PG_TRY
 * active inside fn is thereby abandoned, as an ERROR would), and becomes
 * the size-change ERROR.  An ERROR raised inside fn leaves through
 * PG_FINALLY, which pops the guard.
 */
static bool
stream_guarded(StreamFile *f, bool (*fn) (void *), void *arg)
{
	StreamGuard g;
	sigjmp_buf *volatile save_exception_stack = PG_exception_stack;
	ErrorContextCallback *volatile save_context_stack = error_context_stack;
	volatile bool result = false;

	if (f->method != CHRONOS_STREAM_MMAP)
		return fn(arg);

	g.file = f;
	g.prev = stream_active_guard;
	if (sigsetjmp(g.jmp, 0) != 0)
	{
		/* back from the SIGBUS handler: the file shrank under the mapping */
		PG_exception_stack = save_exception_stack;
		error_context_stack = save_context_stack;
		stream_active_guard = g.prev;
		if (f->map != NULL)
		{
			munmap(f->map, f->map_len);
			f->map = NULL;
			f->map_len = 0;
		}
		stream_report_size_change(f, true);
	}
	stream_active_guard = &g;
	PG_TRY();
	{
		result = fn(arg);
	}
	PG_FINALLY();
	{
		stream_active_guard = g.prev;
	}
	PG_END_TRY();
	return result;
}

/*
 * stream_quote
 *		Up to max bytes of p[0..len) for a message, in double quotes, with
 *		"..." when cut.  Control bytes are written as \r, \n, \t or \xNN;
 *		other bytes stay as they are if they are valid text in the database
 *		encoding, else they too become \xNN.  palloc'd.
 */
static char *
stream_quote(const char *p, size_t len, size_t max)
{
	StringInfoData s;
	size_t		n = Min(len, max);
	bool		valid = false;
	size_t		i;
	int			k;

	/* valid text is cut on a character boundary (up to 3 bytes earlier) */
	for (k = 0; k < (n < len ? 4 : 1) && k <= (int) n; k++)
		if (pg_verify_mbstr(GetDatabaseEncoding(), p, (int) (n - k), true))
		{
			valid = true;
			n -= k;
			break;
		}

	initStringInfo(&s);
	appendStringInfoChar(&s, '"');
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) p[i];

		if (c == '\r')
			appendStringInfoString(&s, "\\r");
		else if (c == '\n')
			appendStringInfoString(&s, "\\n");
		else if (c == '\t')
			appendStringInfoString(&s, "\\t");
		else if (c < 0x20 || c == 0x7f || (c >= 0x80 && !valid))
			appendStringInfo(&s, "\\x%02X", c);
		else
			appendStringInfoChar(&s, (char) c);
	}
	if (n < len)
		appendStringInfoString(&s, "...");
	appendStringInfoChar(&s, '"');
	return s.data;
}

/* ----------------------------------------------------------------
 *		CSV: options, columns, records, cells
 * ----------------------------------------------------------------
 */

typedef enum StreamTimeFormat
{
	STREAM_TIME_AUTO,			/* ISO fast path, else timestamptz_in */
	STREAM_TIME_EPOCH_S,		/* seconds since 1970, like to_timestamp() */
	STREAM_TIME_EPOCH_MS		/* milliseconds since 1970 */
} StreamTimeFormat;

/* What a value cell holds. */
typedef enum StreamCell
{
	CELL_VALUE,
	CELL_MISSING,
	CELL_BAD					/* reported (ERROR, or skipped and counted) */
} StreamCell;

typedef struct StreamCsv
{
	StreamFile *file;
	cts_csv_options opts;
	cts_csv_parser parser;
	cts_csv_record rec;
	cts_csv_field *fields;
	size_t		fields_cap;
	char	   *scratch;

	bool		skip;			/* on_error => 'skip' */
	int			time_format;	/* StreamTimeFormat */
	bool		reject_infinite;	/* the import's codec cannot store them */

	/* columns: ncols 0 means the file holds no record at all */
	int			ncols;
	char	  **colnames;		/* valid text in the database encoding */
	int			time_col;
	int			key_col;		/* -1: none */
	int			nvalues;
	int		   *value_cols;
	bool		values_sampled; /* chosen by csv_discover, not named */

	/* the last time text converted, and its result */
	char		last_time[STREAM_TIME_CACHE];
	size_t		last_time_len;	/* 0: nothing remembered */
	int64		last_ts;

	/* counts (see "Counting" at the top) */
	uint64		lines_header;
	uint64		lines_data;
	uint64		lines_skipped;
	uint64		records;		/* records read */
	uint64		skipped;		/* records skipped as malformed */
	uint64		missing;		/* missing value cells */
	uint64		produced;		/* values returned as rows or points */
} StreamCsv;

/* The arguments the two CSV readers share, in their SQL order. */
#define ARG_PATH			0
#define ARG_TIME_COLUMN		1
#define ARG_KEY_COLUMN		2
#define ARG_VALUE_COLUMNS	3
#define ARG_HEADER			4
#define ARG_DELIMITER		5
#define ARG_TIME_FORMAT		6
#define ARG_ON_ERROR		7
#define ARG_CODEC			8
#define ARG_SEGMENT_SIZE	9

/*
 * csv_arg_text
 *		The text argument n as a C string, or NULL; 22004 when NULL is not
 *		allowed.
 */
static char *
csv_arg_text(FunctionCallInfo fcinfo, int n, const char *name, bool nullable)
{
	if (PG_ARGISNULL(n))
	{
		if (!nullable)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not be NULL", name)));
		return NULL;
	}
	return text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/*
 * csv_parse_options
 *		header, delimiter, time_format and on_error, checked.
 */
static void
csv_parse_options(StreamCsv *c, FunctionCallInfo fcinfo)
{
	char	   *delim = csv_arg_text(fcinfo, ARG_DELIMITER, "delimiter", false);
	char	   *tf = csv_arg_text(fcinfo, ARG_TIME_FORMAT, "time_format", false);
	char	   *oe = csv_arg_text(fcinfo, ARG_ON_ERROR, "on_error", false);

	if (PG_ARGISNULL(ARG_HEADER))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("header must not be NULL")));

	cts_csv_options_default(&c->opts);
	c->opts.header = PG_GETARG_BOOL(ARG_HEADER) ? 1 : 0;
	if (strlen(delim) != 1 || IS_HIGHBIT_SET(delim[0]) ||
		delim[0] == '"' || delim[0] == '\r' || delim[0] == '\n')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("delimiter must be a single one-byte character other than a quote, CR or LF: \"%s\"",
						delim)));
	c->opts.delimiter = delim[0];

	if (strcmp(tf, "auto") == 0)
		c->time_format = STREAM_TIME_AUTO;
	else if (strcmp(tf, "epoch_s") == 0)
		c->time_format = STREAM_TIME_EPOCH_S;
	else if (strcmp(tf, "epoch_ms") == 0)
		c->time_format = STREAM_TIME_EPOCH_MS;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown time_format: \"%s\"", tf),
				 errhint("Use 'auto' (ISO 8601, and anything timestamptz reads), 'epoch_s' or 'epoch_ms'.")));

	if (strcmp(oe, "error") == 0)
		c->skip = false;
	else if (strcmp(oe, "skip") == 0)
		c->skip = true;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown on_error: \"%s\"", oe),
				 errhint("Use 'error' (stop at the first malformed line) or 'skip' (skip, count and report them).")));
}

/*
 * csv_setup
 *		Buffers and the parser for a file opened with stream_open; the
 *		options must be parsed.
 */
static void
csv_setup(StreamCsv *c, StreamFile *f)
{
	c->file = f;
	c->opts.max_record = f->window;
	c->scratch = (char *) chronos_alloc(f->op, f->window, "unescape buffer");
	c->fields_cap = STREAM_INITIAL_FIELDS;
	c->fields = (cts_csv_field *) chronos_alloc(f->op, c->fields_cap * sizeof(cts_csv_field),
												"field array");
	c->key_col = -1;
	if (cts_csv_init(&c->parser, &c->opts) != CSV_OK)
		elog(ERROR, "CSV reader: invalid options");
	memset(&c->rec, 0, sizeof(c->rec));
	c->rec.fields = c->fields;
	c->rec.max_fields = c->fields_cap;
	c->rec.scratch = c->scratch;
	c->rec.scratch_cap = f->window;
}

/*
 * csv_line_text
 *		The record's text for a message: its first STREAM_QUOTE_BYTES bytes
 *		without the line end, quoted (the record is in the window).
 */
static char *
csv_line_text(StreamCsv *c, const cts_csv_record *rec)
{
	StreamFile *f = c->file;
	const char *p;
	size_t		len = rec->length;

	if (rec->offset < f->win_base || rec->offset + len > f->win_base + f->win_len)
		return pstrdup("(not available)");
	p = f->win + (rec->offset - f->win_base);
	while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
		len--;
	return stream_quote(p, len, STREAM_QUOTE_BYTES);
}

/*
 * csv_bad_record
 *		A malformed record: ERROR, or (on_error => 'skip') skip it, count it,
 *		and for the first STREAM_SKIP_WARNINGS say so in a WARNING.
 *
 * msg, detail: the error's message and detail (detail may be NULL).
 * always_error: raise even with 'skip' (the header).
 */
static void
csv_bad_record(StreamCsv *c, const cts_csv_record *rec, int sqlerrcode,
			   const char *msg, const char *detail, bool always_error)
{
	if (!c->skip || always_error)
		ereport(ERROR,
				(errcode(sqlerrcode),
				 errmsg_internal("%s", msg),
				 detail ? errdetail_internal("%s", detail) : 0,
				 always_error ? 0 :
				 errhint("Fix the line, or pass on_error => 'skip' to skip malformed lines (they are counted and reported).")));
	c->skipped++;
	c->lines_skipped += rec->nlines;
	if (c->skipped <= STREAM_SKIP_WARNINGS)
		ereport(WARNING,
				(errcode(sqlerrcode),
				 errmsg("skipped line %llu: %s", (unsigned long long) rec->line, msg),
				 detail ? errdetail_internal("%s", detail) : 0,
				 c->skipped == STREAM_SKIP_WARNINGS ?
				 errhint("Further skipped lines are only counted, in the NOTICE at the end.") : 0));
}

/*
 * csv_record_error
 *		A record error of the tokenizer (it has skipped the record).
 */
static void
csv_record_error(StreamCsv *c, cts_csv_status st)
{
	const cts_csv_record *rec = &c->rec;
	char	   *text = csv_line_text(c, rec);

	if (st == CSV_ERR_TOO_MANY_FIELDS)
		csv_bad_record(c, rec, ERRCODE_INVALID_TEXT_REPRESENTATION,
					   psprintf("line %llu has %zu fields, more than the %d %s",
								(unsigned long long) rec->line, rec->nfields, c->ncols,
								c->opts.header ? "columns of the header" : "fields of the first line"),
					   psprintf("Line %llu: %s.", (unsigned long long) rec->line, text),
					   rec->is_header);
	else
		csv_bad_record(c, rec, ERRCODE_INVALID_TEXT_REPRESENTATION,
					   psprintf("malformed CSV at line %llu", (unsigned long long) rec->err_line),
					   psprintf("%s Line %llu: %s.", cts_csv_strerror(st),
								(unsigned long long) rec->line, text),
					   rec->is_header);
}

/*
 * csv_fatal
 *		A fatal tokenizer error (a NUL byte, a line longer than the window),
 *		or a caller error that cannot happen.  First checks that the file
 *		has not changed size (a mapping of a truncated file reads zeros).
 */
pg_noreturn static void
csv_fatal(StreamCsv *c, cts_csv_status st)
{
	StreamFile *f = c->file;
	const cts_csv_record *rec = &c->rec;

	stream_check_size(f);
	f->line = rec->err_line;
	if (st == CSV_ERR_BINARY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("the file has a NUL byte at line %llu: it is not a text file",
						(unsigned long long) rec->err_line),
				 errdetail("Byte %llu is NUL. CSV is text; binary formats (gzip, zip, xlsx, parquet, images) contain NUL bytes.",
						   (unsigned long long) rec->err_offset),
				 errhint("Convert the file to CSV text first.")));
	if (st == CSV_ERR_RECORD_TOO_LONG)
	{
		bool		open_quote = false;

		if (rec->err_offset >= f->win_base && rec->err_offset < f->win_base + f->win_len)
			open_quote = f->win[rec->err_offset - f->win_base] == c->opts.quote;
		if (open_quote)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("line %llu is longer than chronos.stream_window_kb (%d kB)",
							(unsigned long long) rec->line, chronos_stream_window_kb),
					 errdetail("A quoted field opened at line %llu (byte %llu) is still open after %d kB.",
							   (unsigned long long) rec->err_line,
							   (unsigned long long) rec->err_offset, chronos_stream_window_kb),
					 errhint("Close the quote, or raise chronos.stream_window_kb if the field is that long.")));
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("line %llu is longer than chronos.stream_window_kb (%d kB)",
						(unsigned long long) rec->line, chronos_stream_window_kb),
				 errdetail("A line must fit in the read window."),
				 errhint("Raise chronos.stream_window_kb (at most 1 GB).")));
	}
	elog(ERROR, "CSV reader failed: %s", cts_csv_strerror(st));
}

/*
 * csv_next
 *		The next data record, with its fields in c->rec; NULL at the end of
 *		the file.  Slides the window as the tokenizer asks, counts and skips
 *		the header and (with 'skip') malformed records, raises the rest.
 *
 * The fields point into the window or the scratch buffer, valid until the
 * next call.
 */
static const cts_csv_record *
csv_next(StreamCsv *c)
{
	StreamFile *f = c->file;

	for (;;)
	{
		cts_csv_status st;

		CHECK_FOR_INTERRUPTS();
		st = cts_csv_next(&c->parser, f->win, f->win_len, f->win_base, f->at_eof, &c->rec);
		if (likely(st == CSV_OK))
		{
			f->line = c->rec.line;
			if (unlikely(c->rec.is_header))
			{
				c->lines_header += c->rec.nlines;
				continue;
			}
			return &c->rec;
		}
		if (st == CSV_NEED_MORE)
		{
			uint64		resume = cts_csv_resume_offset(&c->parser);

			f->line = 0;
			stream_load(f, resume);
			stream_progress(f, resume, c->produced, c->skipped);
			continue;
		}
		if (st == CSV_EOF)
		{
			f->line = 0;
			return NULL;
		}
		f->line = c->rec.line;
		if (cts_csv_status_is_record_error(st))
		{
			csv_record_error(c, st);
			continue;
		}
		csv_fatal(c, st);
	}
}

/*
 * csv_check_fields
 *		A record with fewer fields than the columns is malformed (one with
 *		more has been reported by the tokenizer).  Returns false after
 *		reporting it.
 */
static bool
csv_check_fields(StreamCsv *c, const cts_csv_record *rec)
{
	if (likely(rec->nfields == (size_t) c->ncols))
		return true;
	csv_bad_record(c, rec, ERRCODE_INVALID_TEXT_REPRESENTATION,
				   psprintf("line %llu has %zu %s, fewer than the %d %s",
							(unsigned long long) rec->line, rec->nfields,
							rec->nfields == 1 ? "field" : "fields", c->ncols,
							c->opts.header ? "columns of the header" : "fields of the first line"),
				   psprintf("Line %llu: %s.", (unsigned long long) rec->line, csv_line_text(c, rec)),
				   false);
	return false;
}

/*
 * stream_local_time
 *		Fields without a zone (or a bare year) in the session's TimeZone,
 *		exactly as timestamptz_in converts them: DetermineTimeZoneOffset,
 *		then tm2timestamp.  false if out of range.
 */
static bool
stream_local_time(const cts_csv_time_fields *tf, int64 *out)
{
	struct pg_tm tm;
	int			tz;
	Timestamp	result;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = tf->year;
	tm.tm_mon = tf->month;
	tm.tm_mday = tf->day;
	tm.tm_hour = tf->hour;
	tm.tm_min = tf->minute;
	tm.tm_sec = tf->second;
	tz = DetermineTimeZoneOffset(&tm, session_timezone);
	if (tm2timestamp(&tm, (fsec_t) tf->usec, &tz, &result) != 0 ||
		!IS_VALID_TIMESTAMP(result))
		return false;
	*out = (int64) result;
	return true;
}

/*
 * stream_timestamptz_in
 *		PostgreSQL's own reading of token (NUL-terminated): true with *out,
 *		or false with *why, its message.
 *
 * 16+: soft input errors.  15 has none: timestamptz_in may still raise
 * (out of range, an unknown zone name) after the syntax check; with
 * on_error => 'skip' that error is caught here and the line skipped.
 * timestamptz_in takes no locks and leaves no state behind when it raises,
 * so catching its error without a subtransaction is safe.
 */
static bool
stream_timestamptz_in(StreamCsv *c, char *token, int64 *out, char **why)
{
	char	   *message = NULL;
	bool		ok;

#if CHRONOS_SOFT_ERRORS
	ok = chronos_parse_timestamptz(token, (TimestampTz *) out, &message);
#else
	if (!c->skip)
		ok = chronos_parse_timestamptz(token, (TimestampTz *) out, &message);
	else
	{
		MemoryContext cxt = CurrentMemoryContext;
		char	   *volatile caught = NULL;
		volatile bool parsed = false;

		PG_TRY();
		{
			char	   *m = NULL;

			parsed = chronos_parse_timestamptz(token, (TimestampTz *) out, &m);
			caught = m;
		}
		PG_CATCH();
		{
			ErrorData  *edata;

			MemoryContextSwitchTo(cxt);
			edata = CopyErrorData();
			FlushErrorState();
			caught = pstrdup(edata->message);
			FreeErrorData(edata);
			parsed = false;
		}
		PG_END_TRY();
		ok = parsed;
		message = caught;
	}
#endif
	if (!ok)
		*why = message ? message :
			psprintf("invalid input syntax for type timestamp with time zone: \"%s\"", token);
	return ok;
}

/*
 * csv_time
 *		The time of the record's time column.  Returns false after reporting
 *		a bad or missing time (csv_bad_record).
 *
 * The result for the last text is remembered, so a file whose rows share
 * their time (one row per series and time step) converts each time once.
 */
static bool
csv_time(StreamCsv *c, const cts_csv_record *rec, int64 *out)
{
	const cts_csv_field *fld = &rec->fields[c->time_col];
	const char *p = fld->ptr;
	size_t		len = fld->len;
	cts_csv_status st;
	char	   *why = NULL;
	bool		ok = false;

	if (len == c->last_time_len && len > 0 && memcmp(p, c->last_time, len) == 0)
	{
		*out = c->last_ts;
		return true;
	}

	if (cts_csv_is_missing(p, len))
		why = psprintf("missing time in column \"%s\"", c->colnames[c->time_col]);
	else if (c->time_format == STREAM_TIME_AUTO)
	{
		cts_csv_time_fields tf;

		st = cts_csv_parse_iso_time(p, len, &tf);
		if (st == CSV_OK)
		{
			if (tf.zone == CSV_ZONE_NONE)
				ok = stream_local_time(&tf, out);
			else
				ok = cts_csv_fields_to_utc_usec(&tf, out) == CSV_OK;
			if (!ok)
				why = psprintf("timestamp out of range: \"%s\"", pnstrdup(p, len));
		}
		else
			ok = stream_timestamptz_in(c, pnstrdup(p, len), out, &why);
	}
	else
	{
		st = cts_csv_parse_epoch(p, len, c->time_format == STREAM_TIME_EPOCH_S ?
								 CSV_EPOCH_SECONDS : CSV_EPOCH_MILLISECONDS, out);
		ok = (st == CSV_OK);
		if (st == CSV_ERR_RANGE)
			why = psprintf("epoch %s out of range for type timestamp with time zone: %s",
						   c->time_format == STREAM_TIME_EPOCH_S ? "seconds" : "milliseconds",
						   stream_quote(p, len, STREAM_QUOTE_BYTES));
		else if (!ok)
			why = psprintf("invalid input syntax for epoch %s: %s",
						   c->time_format == STREAM_TIME_EPOCH_S ? "seconds" : "milliseconds",
						   stream_quote(p, len, STREAM_QUOTE_BYTES));
	}

	if (ok)
	{
		if (len <= STREAM_TIME_CACHE)
		{
			memcpy(c->last_time, p, len);
			c->last_time_len = len;
			c->last_ts = *out;
		}
		return true;
	}
	csv_bad_record(c, rec, ERRCODE_INVALID_TEXT_REPRESENTATION, why,
				   psprintf("Line %llu, column \"%s\": %s.", (unsigned long long) rec->line,
							c->colnames[c->time_col], stream_quote(p, len, STREAM_QUOTE_BYTES)),
				   false);
	return false;
}

/*
 * csv_value_slow
 *		The cells the library does not settle: numbers too long for it
 *		(float8in decides), and bad ones (reported).
 */
static StreamCell
csv_value_slow(StreamCsv *c, const cts_csv_record *rec, int k, cts_csv_status st,
			   double *out)
{
	const cts_csv_field *fld = &rec->fields[c->value_cols[k]];
	const char *colname = c->colnames[c->value_cols[k]];
	int			code = ERRCODE_INVALID_TEXT_REPRESENTATION;
	char	   *msg;

	if (st == CSV_ERR_NUMBER_TOO_LONG)
	{
		char	   *num = pnstrdup(fld->ptr, fld->len);
		char	   *end;
		bool		bad;
		double		v = chronos_float8in(num, &end, &bad);

		while (!bad && *end != '\0' && isspace((unsigned char) *end))
			end++;
		if (bad)
		{
			/* float8in says no: out of range if strtod reads it all */
			errno = 0;
			v = strtod(num, &end);
			while (*end != '\0' && isspace((unsigned char) *end))
				end++;
			if (end != num && *end == '\0' && errno == ERANGE)
			{
				*out = v;
				st = CSV_ERR_RANGE;
			}
			else
				st = CSV_ERR_SYNTAX;
		}
		else if (*end == '\0')
		{
			pfree(num);
			if (isnan(v))
				return CELL_MISSING;
			*out = v;
			if (c->reject_infinite && isinf(v))
				st = CSV_ERR_RANGE;
			else
				return CELL_VALUE;
		}
		else
			st = CSV_ERR_SYNTAX;
	}

	if (st == CSV_ERR_RANGE && isinf(*out) && c->reject_infinite)
	{
		code = ERRCODE_INVALID_PARAMETER_VALUE;
		msg = psprintf("compact_ts cannot store NaN or infinite values: %s",
					   stream_quote(fld->ptr, fld->len, STREAM_QUOTE_BYTES));
	}
	else if (st == CSV_ERR_RANGE)
	{
		code = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
		msg = psprintf("%s is out of range for type double precision",
					   stream_quote(fld->ptr, fld->len, STREAM_QUOTE_BYTES));
	}
	else
		msg = psprintf("invalid input syntax for type double precision: %s",
					   stream_quote(fld->ptr, fld->len, STREAM_QUOTE_BYTES));
	csv_bad_record(c, rec, code, msg,
				   c->values_sampled ?
				   psprintf("Line %llu, column \"%s\" (taken as a value column because most of its cells in the first records are numbers).",
							(unsigned long long) rec->line, colname) :
				   psprintf("Line %llu, column \"%s\".", (unsigned long long) rec->line, colname),
				   false);
	return CELL_BAD;
}

/*
 * csv_value
 *		Value cell k of the record: a value, missing, or bad (reported).
 */
static inline StreamCell
csv_value(StreamCsv *c, const cts_csv_record *rec, int k, double *out)
{
	const cts_csv_field *fld = &rec->fields[c->value_cols[k]];
	cts_csv_status st = cts_csv_parse_value(fld->ptr, fld->len, out);

	if (likely(st == CSV_OK))
	{
		if (unlikely(c->reject_infinite && isinf(*out)))
			return csv_value_slow(c, rec, k, CSV_ERR_RANGE, out);
		return CELL_VALUE;
	}
	if (st == CSV_MISSING)
		return CELL_MISSING;
	return csv_value_slow(c, rec, k, st, out);
}

/*
 * csv_find_column
 *		Index of the column named name; -1 if none, -2 if several.
 */
static int
csv_find_column(StreamCsv *c, const char *name)
{
	int			found = -1;
	int			i;

	for (i = 0; i < c->ncols; i++)
		if (strcmp(c->colnames[i], name) == 0)
		{
			if (found >= 0)
				return -2;
			found = i;
		}
	return found;
}

/*
 * csv_column_list
 *		"a", "b", ... for a message (at most 20 names).
 */
static char *
csv_column_list(StreamCsv *c)
{
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	for (i = 0; i < c->ncols && i < 20; i++)
		appendStringInfo(&s, "%s\"%s\"", i > 0 ? ", " : "", c->colnames[i]);
	if (c->ncols > 20)
		appendStringInfo(&s, " and %d more", c->ncols - 20);
	return s.data;
}

/*
 * csv_column
 *		The column an argument names; 22023 if the file has none or several
 *		of that name.
 */
static int
csv_column(StreamCsv *c, const char *name, const char *argname)
{
	int			i = csv_find_column(c, name);

	if (i == -1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" is not a column of the file", argname, name),
				 c->opts.header ?
				 errdetail("The header names the columns %s.", csv_column_list(c)) :
				 errdetail("Without a header the columns are named column1 to column%d.", c->ncols)));
	if (i == -2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%s\" names more than one column of the file", argname, name),
				 errhint("Read the file with header => false and name the columns column1, column2, ...")));
	return i;
}

/*
 * csv_set_names
 *		Column names from the header record (checked to be valid text), or
 *		column1 .. columnN.
 */
static void
csv_set_names(StreamCsv *c, const cts_csv_record *header, int ncols)
{
	MemoryContext cxt = chronos_op_context(c->file->op);
	int			i;

	c->ncols = ncols;
	c->colnames = (char **) chronos_alloc(c->file->op, sizeof(char *) * ncols, "column names");
	for (i = 0; i < ncols; i++)
	{
		if (header == NULL)
			c->colnames[i] = MemoryContextStrdup(cxt, psprintf("column%d", i + 1));
		else
		{
			const cts_csv_field *fld = &header->fields[i];

			if (!pg_verify_mbstr(GetDatabaseEncoding(), fld->ptr, (int) fld->len, true))
				ereport(ERROR,
						(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
						 errmsg("invalid byte sequence for encoding \"%s\" in the header",
								GetDatabaseEncodingName()),
						 errdetail("Column %d: %s.", i + 1,
								   stream_quote(fld->ptr, fld->len, STREAM_QUOTE_BYTES))));
			c->colnames[i] = (char *) MemoryContextAlloc(cxt, fld->len + 1);
			memcpy(c->colnames[i], fld->ptr, fld->len);
			c->colnames[i][fld->len] = '\0';
		}
	}
}

/*
 * csv_discover
 *		Read the header and up to STREAM_SAMPLE_RECORDS data records of the
 *		first window (with a parser of its own: the main one starts from
 *		the beginning afterwards) and choose the columns:
 *
 *	- the time column: time_column, else the first column other than the
 *	  key column;
 *	- the key column: key_column, if given;
 *	- the value columns: value_columns, else every other column whose
 *	  cells in the sampled records are all numbers or missing.
 *
 * Names are the header's, or column1 .. columnN.  A file without any record
 * leaves ncols 0 (it gives no rows).  Fatal errors in the first window are
 * raised here, as the main pass would.
 */
static void
csv_discover(StreamCsv *c, const char *time_column, const char *key_column,
			 ArrayType *value_columns)
{
	StreamFile *f = c->file;
	cts_csv_parser p;
	cts_csv_record r;
	int		   *numbers = NULL;	/* per column: cells that are numbers */
	int		   *texts = NULL;	/* cells that are neither numbers nor missing */
	int			ncols = 0;
	int			nsample = 0;
	int			i;

restart:
	if (cts_csv_init(&p, &c->opts) != CSV_OK)
		elog(ERROR, "CSV reader: invalid options");
	memset(&r, 0, sizeof(r));
	r.fields = c->fields;
	r.max_fields = c->fields_cap;
	r.scratch = c->scratch;
	r.scratch_cap = f->window;
	ncols = 0;
	nsample = 0;

	for (;;)
	{
		cts_csv_status st;
		int			j;

		CHECK_FOR_INTERRUPTS();
		st = cts_csv_next(&p, f->win, f->win_len, f->win_base, f->at_eof, &r);
		if (st == CSV_NEED_MORE && ncols == 0)
		{
			/* nothing but blank lines so far: look further */
			stream_load(f, cts_csv_resume_offset(&p));
			continue;
		}
		if (st == CSV_NEED_MORE || st == CSV_EOF)
			break;
		if (st == CSV_ERR_TOO_MANY_FIELDS && ncols == 0)
		{
			/* the record that defines the columns: make room for them all */
			c->fields_cap = r.nfields;
			c->fields = (cts_csv_field *) chronos_realloc(f->op, c->fields,
														  c->fields_cap * sizeof(cts_csv_field),
														  "field array");
			c->rec.fields = c->fields;
			goto restart;
		}
		if (cts_csv_status_is_record_error(st))
		{
			if (r.is_header)
			{
				c->rec = r;
				c->rec.fields = c->fields;
				f->line = r.line;
				csv_record_error(c, st);	/* always an error */
			}
			continue;
		}
		if (st != CSV_OK)
		{
			c->rec = r;
			csv_fatal(c, st);
		}
		if (ncols == 0)
		{
			ncols = (int) r.nfields;
			csv_set_names(c, r.is_header ? &r : NULL, ncols);
			numbers = (int *) palloc0(sizeof(int) * ncols);
			texts = (int *) palloc0(sizeof(int) * ncols);
			if (r.is_header)
				continue;
		}
		if (r.nfields != (size_t) ncols)
			continue;
		for (j = 0; j < ncols; j++)
		{
			double		v;
			cts_csv_status vs;

			vs = cts_csv_parse_value(r.fields[j].ptr, r.fields[j].len, &v);
			if (vs == CSV_OK || vs == CSV_ERR_NUMBER_TOO_LONG)
				numbers[j]++;
			else if (vs != CSV_MISSING)
				texts[j]++;
		}
		if (++nsample >= STREAM_SAMPLE_RECORDS)
			break;
	}
	f->line = 0;
	if (ncols == 0)
	{
		/* the whole file has been read: its blank lines are all it has */
		c->ncols = 0;
		c->parser = p;
		return;
	}
	if (f->win_base != 0)
		stream_load(f, 0);

	/* the key and time columns */
	if (key_column != NULL)
		c->key_col = csv_column(c, key_column, "key_column");
	if (time_column != NULL)
		c->time_col = csv_column(c, time_column, "time_column");
	else
		c->time_col = (c->key_col == 0 && ncols > 1) ? 1 : 0;
	if (c->key_col == c->time_col)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the key column and the time column must differ: \"%s\"",
						c->colnames[c->time_col])));

	/* the value columns */
	c->value_cols = (int *) chronos_alloc(f->op, sizeof(int) * ncols, "value columns");
	c->nvalues = 0;
	if (value_columns != NULL)
	{
		Datum	   *elems;
		bool	   *nulls;
		int			n;

		if (ARR_NDIM(value_columns) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("value_columns must be a one-dimensional array")));
		deconstruct_array(value_columns, TEXTOID, -1, false, TYPALIGN_INT,
						  &elems, &nulls, &n);
		if (n == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("value_columns must name at least one column")));
		for (i = 0; i < n; i++)
		{
			char	   *name;
			int			col,
						k;

			if (nulls[i])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("value_columns must not contain NULL")));
			name = TextDatumGetCString(elems[i]);
			col = csv_column(c, name, "value column");
			if (col == c->time_col || col == c->key_col)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("value column \"%s\" is the %s column", name,
								col == c->time_col ? "time" : "key")));
			for (k = 0; k < c->nvalues; k++)
				if (c->value_cols[k] == col)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("value column \"%s\" is named twice", name)));
			c->value_cols[c->nvalues++] = col;
		}
	}
	else
	{
		for (i = 0; i < ncols; i++)
		{
			/* numbers outnumber other text (or every cell is missing) */
			if (i == c->time_col || i == c->key_col || texts[i] >= Max(numbers[i], 1))
				continue;
			if (csv_find_column(c, c->colnames[i]) == -2)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("column name \"%s\" appears more than once in the header",
								c->colnames[i]),
						 errhint("Name the value columns with value_columns, or read the file with header => false (columns column1, column2, ...).")));
			c->value_cols[c->nvalues++] = i;
		}
		if (c->nvalues == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the file has no numeric column besides the time and key columns"),
					 errdetail("Its columns are %s; a value column is one whose cells in the first %d records are more often numbers than other text.",
							   csv_column_list(c), STREAM_SAMPLE_RECORDS),
					 errhint("Name the value columns with value_columns => ARRAY['...'].")));
	}

	/* the main parser: exactly ncols fields per record */
	c->rec.fields = c->fields;
	c->rec.max_fields = (size_t) ncols;
	c->values_sampled = (value_columns == NULL);
	if (numbers)
	{
		pfree(numbers);
		pfree(texts);
	}
}

/*
 * csv_begin
 *		Open the file of a CSV reader's call and choose its columns.
 *		fcinfo holds the SQL arguments (ARG_*).
 */
static void
csv_begin(StreamCsv *c, ChronosMemOp *op, FunctionCallInfo fcinfo, const char *fname)
{
	char	   *time_column;
	char	   *key_column;
	ArrayType  *value_columns = NULL;
	StreamFile *f;

	if (PG_ARGISNULL(ARG_PATH))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("path must not be NULL")));
	csv_parse_options(c, fcinfo);
	time_column = csv_arg_text(fcinfo, ARG_TIME_COLUMN, "time_column", true);
	key_column = csv_arg_text(fcinfo, ARG_KEY_COLUMN, "key_column", true);
	if (!PG_ARGISNULL(ARG_VALUE_COLUMNS))
		value_columns = PG_GETARG_ARRAYTYPE_P(ARG_VALUE_COLUMNS);

	f = stream_open(op, PG_GETARG_TEXT_PP(ARG_PATH), fname);
	stream_push_context(f);
	csv_setup(c, f);
	stream_load(f, 0);
	csv_discover(c, time_column, key_column, value_columns);
	stream_pop_context(f);
}

/*
 * csv_end
 *		At the end of the file: check its size, report the counts (see
 *		"Counting"), release it.
 *
 * what: "points" or "rows".
 */
static void
csv_end(StreamCsv *c, const char *what)
{
	StreamFile *f = c->file;
	uint64		lines = c->parser.nlines;
	uint64		blank = c->parser.nblank;
	int			level;

	stream_check_size(f);
	stream_progress(f, f->size, c->produced, c->skipped);
	if (lines != c->lines_header + blank + c->lines_data + c->lines_skipped)
		elog(ERROR, "CSV reader: line counts do not add up (%llu lines, %llu + %llu + %llu + %llu)",
			 (unsigned long long) lines, (unsigned long long) c->lines_header,
			 (unsigned long long) blank, (unsigned long long) c->lines_data,
			 (unsigned long long) c->lines_skipped);

	f->line = 0;
	level = (c->skipped > 0 || c->missing > 0 || c->ncols == 0) ? NOTICE : DEBUG1;
	if (c->ncols == 0)
		ereport(level,
				(errmsg(f->size == 0 ? "the file is empty" : "the file has no CSV record"),
				 f->size == 0 ? 0 :
				 errdetail("Its %llu bytes are blank lines: %llu.",
						   (unsigned long long) f->size, (unsigned long long) blank)));
	else
		ereport(level,
				(errmsg("lines read: %llu = %llu header + %llu blank + %llu data + %llu skipped as malformed",
						(unsigned long long) lines, (unsigned long long) c->lines_header,
						(unsigned long long) blank, (unsigned long long) c->lines_data,
						(unsigned long long) c->lines_skipped),
				 errdetail("Records: %llu, value columns: %d, cells: %llu = %llu %s + %llu missing (empty, NA or NaN).",
						   (unsigned long long) c->records, c->nvalues,
						   (unsigned long long) (c->records * (uint64) c->nvalues),
						   (unsigned long long) c->produced, what,
						   (unsigned long long) c->missing)));
	stream_close(f);
}

/* ----------------------------------------------------------------
 *		chronos_read_csv
 * ----------------------------------------------------------------
 */

typedef struct ReadState
{
	StreamCsv	csv;
	TupleDesc	tupdesc;
	MemoryContext rowcxt;		/* the current record's names */
	int64		ts;
	double	   *vals;
	bool	   *have;			/* the value cell is a value, not missing */
	int			next;			/* next value column to return */
	bool		in_record;
	bool		done;
	text	  **names;			/* series name of each value column */
	char	   *key;			/* the key the names are for (NUL-free bytes) */
	size_t		keylen;
	bool		have_key;
	/* the row to return */
	Datum		out[3];
} ReadState;

/*
 * read_names
 *		Series names for the record's key: the key alone for one value
 *		column, else key || '/' || column.  Returns false (reported) for a
 *		key that is not valid text.
 */
static bool
read_names(ReadState *s, const cts_csv_record *rec)
{
	StreamCsv  *c = &s->csv;
	const cts_csv_field *fld = &rec->fields[c->key_col];
	MemoryContext old;
	int			k;

	if (s->have_key && fld->len == s->keylen && memcmp(fld->ptr, s->key, fld->len) == 0)
		return true;
	if (!pg_verify_mbstr(GetDatabaseEncoding(), fld->ptr, (int) fld->len, true))
	{
		csv_bad_record(c, rec, ERRCODE_CHARACTER_NOT_IN_REPERTOIRE,
					   psprintf("invalid byte sequence for encoding \"%s\" in column \"%s\"",
								GetDatabaseEncodingName(), c->colnames[c->key_col]),
					   psprintf("Line %llu: %s.", (unsigned long long) rec->line,
								stream_quote(fld->ptr, fld->len, STREAM_QUOTE_BYTES)),
					   false);
		return false;
	}
	MemoryContextReset(s->rowcxt);
	old = MemoryContextSwitchTo(s->rowcxt);
	s->key = pnstrdup(fld->ptr, fld->len);
	s->keylen = fld->len;
	s->have_key = true;
	for (k = 0; k < c->nvalues; k++)
	{
		if (c->nvalues == 1)
			s->names[k] = cstring_to_text_with_len(s->key, (int) s->keylen);
		else
			s->names[k] = cstring_to_text(psprintf("%s/%s", s->key,
												   c->colnames[c->value_cols[k]]));
	}
	MemoryContextSwitchTo(old);
	return true;
}

/*
 * read_fill
 *		Read records until one has a value (true) or the file ends (false).
 *		Runs under the SIGBUS guard.
 */
static bool
read_fill(void *arg)
{
	ReadState  *s = (ReadState *) arg;
	StreamCsv  *c = &s->csv;

	for (;;)
	{
		const cts_csv_record *rec = csv_next(c);
		int			k;
		int			nmissing = 0;
		bool		bad = false;

		if (rec == NULL)
			return false;
		if (!csv_check_fields(c, rec) || !csv_time(c, rec, &s->ts))
			continue;
		for (k = 0; k < c->nvalues; k++)
		{
			StreamCell cell = csv_value(c, rec, k, &s->vals[k]);

			if (cell == CELL_BAD)
			{
				bad = true;
				break;
			}
			s->have[k] = (cell == CELL_VALUE);
			if (!s->have[k])
				nmissing++;
		}
		if (bad)
			continue;
		if (c->key_col >= 0 && !read_names(s, rec))
			continue;
		c->records++;
		c->lines_data += rec->nlines;
		c->missing += nmissing;
		if (nmissing < c->nvalues)
		{
			s->next = 0;
			s->in_record = true;
			return true;
		}
	}
}

/*
 * chronos_read_csv(path text, time_column text, key_column text,
 *					value_columns text[], header boolean, delimiter text,
 *					time_format text, on_error text)
 *		-> TABLE(series text, ts timestamptz, value float8)
 *
 * One row per value cell, in file order (the value columns of a record in
 * their order).  Value-per-call: in the select list the rows stream, in
 * FROM PostgreSQL materializes them (work_mem, then temporary files).
 * The state lives in an op under the multi-call context; the row's name
 * and tuple in the per-call context.
 */
Datum
chronos_read_csv(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	ReadState  *s;
	bool		nulls[3] = {false, false, false};
	HeapTuple	tuple;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		ChronosMemOp *op;
		TupleDesc	tupdesc;
		StreamCsv  *c;
		int			k;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		op = chronos_op_begin(funcctx->multi_call_memory_ctx, "chronos read csv",
							  CHRONOS_MEM_WORK);
		MemoryContextSwitchTo(chronos_op_context(op));
		s = (ReadState *) palloc0(sizeof(ReadState));
		s->tupdesc = BlessTupleDesc(tupdesc);
		c = &s->csv;
		funcctx->user_fctx = s;

		csv_begin(c, op, fcinfo, "chronos_read_csv");
		if (c->ncols > 0)
		{
			s->vals = (double *) chronos_alloc(op, sizeof(double) * c->nvalues, "record values");
			s->have = (bool *) chronos_alloc(op, sizeof(bool) * c->nvalues, "record values");
			s->names = (text **) chronos_alloc(op, sizeof(text *) * c->nvalues, "series names");
			s->rowcxt = AllocSetContextCreate(chronos_op_context(op), "chronos read csv names",
											  ALLOCSET_SMALL_SIZES);
			if (c->key_col < 0)
				for (k = 0; k < c->nvalues; k++)
					s->names[k] = cstring_to_text(c->colnames[c->value_cols[k]]);
		}
		else
			s->done = true;
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	s = (ReadState *) funcctx->user_fctx;

	stream_push_context(s->csv.file);
	for (;;)
	{
		if (s->in_record)
		{
			while (s->next < s->csv.nvalues && !s->have[s->next])
				s->next++;
			if (s->next < s->csv.nvalues)
				break;
			s->in_record = false;
		}
		if (s->done || !stream_guarded(s->csv.file, read_fill, s))
		{
			csv_end(&s->csv, "rows");
			stream_pop_context(s->csv.file);
			SRF_RETURN_DONE(funcctx);
		}
	}

	s->out[0] = PointerGetDatum(s->names[s->next]);
	s->out[1] = TimestampTzGetDatum(s->ts);
	s->out[2] = Float8GetDatum(s->vals[s->next]);
	s->next++;
	s->csv.produced++;
	stream_pop_context(s->csv.file);

	tuple = heap_form_tuple(s->tupdesc, s->out, nulls);
	SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
}

/* ----------------------------------------------------------------
 *		chronos_import_csv
 * ----------------------------------------------------------------
 */

/* A key of the key column. */
typedef struct ImportKey
{
	char	   *name;			/* valid text, not NUL-terminated */
	uint32		len;
	uint32		hash;
	uint32		next_guess;		/* the key that followed this one last, or UINT32_MAX */
} ImportKey;

/*
 * Points are buffered in pages of STREAM_PAGE_POINTS points, which come
 * from slabs of STREAM_SLAB_PAGES pages (each slab a block of its own, so
 * counted exactly) and go back to the import's free list, never to the
 * allocator: what the buffers take is the number of slabs, whatever the
 * number of series.
 */
#define STREAM_PAGE_POINTS		64
#define STREAM_SLAB_PAGES		64

typedef struct ImportPage
{
	struct ImportPage *next;	/* the series' next page, or the free list */
	cts_point	pts[STREAM_PAGE_POINTS];
} ImportPage;

/* A series: one value column of one key. */
typedef struct ImportSeries
{
	ImportPage *head;			/* buffered points, in arrival order */
	ImportPage *tail;
	uint32		n;				/* points buffered */
	uint32		npages;
	int32		prev;			/* neighbours in the list of series with */
	int32		next;			/* npages pages (-1: none) */
	bool		written;		/* a segment has been written */
	int64		last_ts;		/* the last time of the last segment written */
} ImportSeries;

/* A segment waiting to be returned. */
typedef struct ImportSegment
{
	uint32		series;
	CompactTs  *segment;
} ImportSegment;

typedef struct ImportState
{
	StreamCsv	csv;
	ChronosMemOp *op;
	TupleDesc	tupdesc;
	ChronosCodec codec;
	uint32		seg_points;		/* points per full segment */
	uint32		tail;			/* points a full buffer keeps back */
	uint32		max_points;		/* seg_points + tail: a buffer's most */
	uint32		max_pages;		/* pages that holds */
	Size		reserve;		/* kept free for writing a segment */

	/* keys: an open-addressing table of indexes + 1 into keys[] */
	ImportKey  *keys;
	size_t		nkeys;
	size_t		keys_cap;
	uint32	   *slots;
	size_t		nslots;			/* a power of two, at least 2 * nkeys */
	uint32		last_key;
	char	   *arena;			/* key names */
	size_t		arena_used;
	size_t		arena_cap;
	Size		meta_bytes;		/* keys, table, series: their next doubling is reserved */

	/* series: nkeys * nvalues, key-major */
	ImportSeries *series;
	size_t		series_cap;

	/* pages: the free list, and the series by number of pages */
	ImportPage *free_pages;
	size_t		npages;			/* pages in all slabs */
	int32	   *by_pages;		/* [0 .. max_pages]: first series with that many */
	uint32		top_pages;		/* no series has more pages */

	/* a segment's points, gathered from its pages, sorted and encoded */
	cts_point  *flush;

	/* segments to return */
	ImportSegment *queue;
	size_t		qhead;
	size_t		qlen;
	size_t		qcap;

	/* the record being imported */
	int64		ts;
	double	   *vals;
	bool	   *have;

	bool		eof;
	size_t		eof_next;		/* next series to write at the end */
	bool		done;
} ImportState;

static void
import_unlink(ImportState *s, uint32 i)
{
	ImportSeries *se = &s->series[i];

	if (se->npages == 0)
		return;
	if (se->prev >= 0)
		s->series[se->prev].next = se->next;
	else
		s->by_pages[se->npages] = se->next;
	if (se->next >= 0)
		s->series[se->next].prev = se->prev;
	se->prev = se->next = -1;
}

static void
import_link(ImportState *s, uint32 i)
{
	ImportSeries *se = &s->series[i];

	if (se->npages == 0)
		return;
	se->prev = -1;
	se->next = s->by_pages[se->npages];
	if (se->next >= 0)
		s->series[se->next].prev = (int32) i;
	s->by_pages[se->npages] = (int32) i;
	if (se->npages > s->top_pages)
		s->top_pages = se->npages;
}

/*
 * import_release_pages
 *		Give all pages of series i back to the free list.
 */
static void
import_release_pages(ImportState *s, uint32 i)
{
	ImportSeries *se = &s->series[i];

	import_unlink(s, i);
	if (se->tail != NULL)
	{
		se->tail->next = s->free_pages;
		s->free_pages = se->head;
	}
	se->head = se->tail = NULL;
	se->n = 0;
	se->npages = 0;
}

/* The name of series i (palloc'd text). */
static text *
import_series_name(ImportState *s, uint32 i)
{
	StreamCsv  *c = &s->csv;
	uint32		key = i / (uint32) c->nvalues;
	int			k = (int) (i % (uint32) c->nvalues);
	const char *col = c->colnames[c->value_cols[k]];

	if (c->key_col < 0)
		return cstring_to_text(col);
	if (c->nvalues == 1)
		return cstring_to_text_with_len(s->keys[key].name, (int) s->keys[key].len);
	return cstring_to_text(psprintf("%.*s/%s", (int) s->keys[key].len, s->keys[key].name, col));
}

static void import_write(ImportState *s, uint32 i, uint32 npts);

/*
 * import_page
 *		A free page for series i, taking a new slab if the budget allows,
 *		else making the series with the most pages write a segment early
 *		(returns NULL when that was series i itself: it then has room).
 *
 * The budget: the slab, the reserve for writing a segment and the next
 * doubling of the key and series arrays must fit in what is left of
 * chronos.max_memory_mb.
 */
static ImportPage *
import_page(ImportState *s, uint32 i)
{
	for (;;)
	{
		ImportPage *page = s->free_pages;
		Size		slab = (Size) STREAM_SLAB_PAGES * sizeof(ImportPage);
		Size		limit = chronos_memory_limit();
		Size		need = chronos_memory_used() + slab + s->reserve + s->meta_bytes;
		int32		victim = -1;

		if (page != NULL)
		{
			s->free_pages = page->next;
			return page;
		}
		if (need <= limit || s->npages == 0)
		{
			ImportPage *pages = (ImportPage *) chronos_alloc(s->op, slab, "series buffers");
			int			k;

			for (k = 0; k < STREAM_SLAB_PAGES; k++)
			{
				pages[k].next = s->free_pages;
				s->free_pages = &pages[k];
			}
			s->npages += STREAM_SLAB_PAGES;
			continue;
		}
		while (s->top_pages > 0 && (victim = s->by_pages[s->top_pages]) < 0)
			s->top_pages--;
		if (victim < 0)
			elog(ERROR, "chronos import: no page free and no series holds one");

		/*
		 * Write all but a tail of 1/16 of the largest buffer (the latest
		 * points stay, for rows a little out of order).
		 */
		{
			ImportSeries *se = &s->series[victim];
			uint32		npts = se->n - se->n / STREAM_TAIL_DIVISOR;

			import_write(s, (uint32) victim, Max(npts, 1));
		}
		if ((uint32) victim == i)
			return NULL;
	}
}

/*
 * import_add
 *		Append a point to series i's pages (there must be room or a free
 *		page to take without flushing: see import_append).
 */
static inline void
import_add(ImportState *s, uint32 i, int64 ts, double v)
{
	ImportSeries *se = &s->series[i];
	uint32		at = se->n % STREAM_PAGE_POINTS;

	if (at == 0 && se->n == se->npages * STREAM_PAGE_POINTS)
	{
		ImportPage *page = s->free_pages;

		Assert(page != NULL);
		s->free_pages = page->next;
		page->next = NULL;
		import_unlink(s, i);
		if (se->tail)
			se->tail->next = page;
		else
			se->head = page;
		se->tail = page;
		se->npages++;
		import_link(s, i);
	}
	se->tail->pts[at].ts = ts;
	se->tail->pts[at].value = v;
	se->n++;
}

/*
 * import_write
 *		Sort series i's buffered points and write the first npts as a
 *		segment (queued for return); the rest stay buffered, in order.
 */
static void
import_write(ImportState *s, uint32 i, uint32 npts)
{
	ImportSeries *se = &s->series[i];
	uint32		n = se->n;
	uint32		k = 0;
	uint32		j;
	ImportPage *page;
	cts_status	st = CTS_OK;
	size_t		bad = 0;
	CompactTs  *seg;

	Assert(npts > 0 && npts <= n && n <= s->max_points);
	for (page = se->head; page != NULL; page = page->next)
	{
		uint32		take = Min(n - k, (uint32) STREAM_PAGE_POINTS);

		memcpy(s->flush + k, page->pts, take * sizeof(cts_point));
		k += take;
	}
	import_release_pages(s, i);
	chronos_sort_points(s->op, s->flush, n);
	seg = chronos_encode_series(s->op, s->flush, npts, &s->codec,
								(uint32) chronos_block_points, &st, &bad);
	if (seg == NULL)
		elog(ERROR, "compact_ts encoder failed on point %zu of a segment: %s",
			 bad, cts_strerror(st));
	se = &s->series[i];
	se->written = true;
	se->last_ts = s->flush[npts - 1].ts;
	/* the tail goes back into pages, which the release has just freed */
	for (j = npts; j < n; j++)
		import_add(s, i, s->flush[j].ts, s->flush[j].value);

	if (s->qhead + s->qlen == s->qcap && s->qhead > 0)
	{
		memmove(s->queue, s->queue + s->qhead, s->qlen * sizeof(ImportSegment));
		s->qhead = 0;
	}
	if (s->qhead + s->qlen == s->qcap)
		chronos_grow(s->op, (void **) &s->queue, &s->qcap, sizeof(ImportSegment),
					 s->qhead + s->qlen + 1, SIZE_MAX / sizeof(ImportSegment), "segment queue");
	s->queue[s->qhead + s->qlen].series = i;
	s->queue[s->qhead + s->qlen].segment = seg;
	s->qlen++;
}

/*
 * import_out_of_order
 *		A point earlier than the last segment written for its series.
 */
pg_noreturn static void
import_out_of_order(ImportState *s, uint32 i, const cts_csv_record *rec, int64 ts)
{
	char		a[CHRONOS_TIMESTAMP_BUFLEN];
	char		b[CHRONOS_TIMESTAMP_BUFLEN];

	chronos_format_timestamp(ts, a);
	chronos_format_timestamp(s->series[i].last_ts, b);
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("line %llu is out of time order by more than the import can sort",
					(unsigned long long) rec->line),
			 errdetail("Its point of series \"%s\" at %s is earlier than %s, the end of a segment already written. A series is sorted within its buffer of segment_size (%u) points plus %u, fewer when chronos.max_memory_mb makes buffers write early.",
					   text_to_cstring(import_series_name(s, i)), a, b,
					   s->seg_points, s->tail),
			 errhint("Sort the file by time, or raise segment_size and chronos.max_memory_mb so that rows out of order fall in one segment.")));
}

/*
 * import_append
 *		Add a point to series i, writing a segment when its buffer is full.
 */
static inline void
import_append(ImportState *s, uint32 i, const cts_csv_record *rec, int64 ts, double v)
{
	ImportSeries *se = &s->series[i];

	if (unlikely(se->n == se->npages * STREAM_PAGE_POINTS) && s->free_pages == NULL)
	{
		/* may write a segment of this series early: check the order after */
		ImportPage *page = import_page(s, i);

		if (page != NULL)
		{
			page->next = s->free_pages;
			s->free_pages = page;
		}
		se = &s->series[i];
	}
	if (unlikely(se->written && ts < se->last_ts))
		import_out_of_order(s, i, rec, ts);
	import_add(s, i, ts, v);
	if (unlikely(s->series[i].n >= s->max_points))
		import_write(s, i, s->seg_points);
}

/*
 * import_meta_grow
 *		Grow one of the key or series arrays (chronos_grow), keeping
 *		meta_bytes, the reserve for their next doubling, up to date.
 */
static void
import_meta_grow(ImportState *s, void **ptr, size_t *cap, size_t elemsize,
				 size_t need, size_t maxelems, const char *what)
{
	size_t		before = *cap * elemsize;

	chronos_grow(s->op, ptr, cap, elemsize, need, maxelems, what);
	s->meta_bytes += *cap * elemsize - before;
}

/*
 * import_new_key
 *		Add a key (its series get pages with their first point).
 */
static uint32
import_new_key(ImportState *s, const char *p, uint32 len, uint32 hash)
{
	StreamCsv  *c = &s->csv;
	ImportKey  *key;
	size_t		nseries;
	size_t		j;
	uint32		idx;

	/* the name, in the arena (a long name gets a block of its own) */
	if (s->arena == NULL || s->arena_used + len > s->arena_cap)
	{
		s->arena_cap = Max((size_t) 64 * 1024, (size_t) len);
		s->arena = (char *) chronos_alloc(s->op, s->arena_cap, "series names");
		s->arena_used = 0;
	}
	if (s->nkeys == s->keys_cap)
		import_meta_grow(s, (void **) &s->keys, &s->keys_cap, sizeof(ImportKey),
						 s->nkeys + 1, (size_t) INT32_MAX / (size_t) c->nvalues, "series keys");
	idx = (uint32) s->nkeys;
	key = &s->keys[idx];
	key->name = s->arena + s->arena_used;
	memcpy(key->name, p, len);
	s->arena_used += len;
	key->len = len;
	key->hash = hash;
	key->next_guess = UINT32_MAX;
	s->nkeys++;

	/* its series */
	nseries = s->nkeys * (size_t) c->nvalues;
	if (nseries > s->series_cap)
		import_meta_grow(s, (void **) &s->series, &s->series_cap, sizeof(ImportSeries),
						 nseries, (size_t) INT32_MAX, "series");
	for (j = nseries - (size_t) c->nvalues; j < nseries; j++)
	{
		memset(&s->series[j], 0, sizeof(ImportSeries));
		s->series[j].prev = s->series[j].next = -1;
	}

	/* the table: at most half full */
	if (s->nkeys * 2 > s->nslots)
	{
		size_t		n = Max((size_t) 64, s->nslots * 2);
		size_t		k;

		if (s->slots != NULL)
			chronos_free(s->op, s->slots);
		s->slots = (uint32 *) chronos_alloc0(s->op, n * sizeof(uint32), "series key table");
		s->meta_bytes += (n - s->nslots) * sizeof(uint32);
		s->nslots = n;
		for (k = 0; k < s->nkeys; k++)
		{
			size_t		slot = s->keys[k].hash & (n - 1);

			while (s->slots[slot] != 0)
				slot = (slot + 1) & (n - 1);
			s->slots[slot] = (uint32) k + 1;
		}
	}
	else
	{
		size_t		slot = hash & (s->nslots - 1);

		while (s->slots[slot] != 0)
			slot = (slot + 1) & (s->nslots - 1);
		s->slots[slot] = idx + 1;
	}
	return idx;
}

/*
 * import_key
 *		The key of the record's key column, added if new; UINT32_MAX after
 *		reporting a key that is not valid text.
 *
 * Rows of a long-format file cycle through the keys in the same order, so
 * the key that followed the previous one last time is tried first.
 */
static inline uint32
import_key(ImportState *s, const cts_csv_record *rec)
{
	StreamCsv  *c = &s->csv;
	const cts_csv_field *fld = &rec->fields[c->key_col];
	uint32		guess;
	uint32		hash;
	uint32		idx;

	if (likely(s->nkeys > 0))
	{
		guess = s->keys[s->last_key].next_guess;
		if (guess != UINT32_MAX && s->keys[guess].len == fld->len &&
			memcmp(s->keys[guess].name, fld->ptr, fld->len) == 0)
		{
			s->last_key = guess;
			return guess;
		}
	}
	hash = hash_bytes((const unsigned char *) fld->ptr, (int) fld->len);
	if (s->nslots > 0)
	{
		size_t		slot = hash & (s->nslots - 1);

		while (s->slots[slot] != 0)
		{
			ImportKey  *k = &s->keys[s->slots[slot] - 1];

			if (k->hash == hash && k->len == fld->len &&
				memcmp(k->name, fld->ptr, fld->len) == 0)
			{
				idx = s->slots[slot] - 1;
				s->keys[s->last_key].next_guess = idx;
				s->last_key = idx;
				return idx;
			}
			slot = (slot + 1) & (s->nslots - 1);
		}
	}
	if (!pg_verify_mbstr(GetDatabaseEncoding(), fld->ptr, (int) fld->len, true))
	{
		csv_bad_record(c, rec, ERRCODE_CHARACTER_NOT_IN_REPERTOIRE,
					   psprintf("invalid byte sequence for encoding \"%s\" in column \"%s\"",
								GetDatabaseEncodingName(), c->colnames[c->key_col]),
					   psprintf("Line %llu: %s.", (unsigned long long) rec->line,
								stream_quote(fld->ptr, fld->len, STREAM_QUOTE_BYTES)),
					   false);
		return UINT32_MAX;
	}
	idx = import_new_key(s, fld->ptr, (uint32) fld->len, hash);
	if (idx > 0)
		s->keys[s->last_key].next_guess = idx;
	s->last_key = idx;
	return idx;
}

/*
 * import_fill
 *		Import records until a segment is queued (true) or the file ends
 *		(false).  Runs under the SIGBUS guard.
 */
static bool
import_fill(void *arg)
{
	ImportState *s = (ImportState *) arg;
	StreamCsv  *c = &s->csv;
	const int	nvalues = c->nvalues;

	while (s->qlen == 0)
	{
		const cts_csv_record *rec = csv_next(c);
		int			k;
		int			nmissing = 0;
		bool		bad = false;
		uint32		key = 0;
		uint32		base;

		if (rec == NULL)
			return false;
		if (unlikely(!csv_check_fields(c, rec)) || unlikely(!csv_time(c, rec, &s->ts)))
			continue;
		for (k = 0; k < nvalues; k++)
		{
			StreamCell cell = csv_value(c, rec, k, &s->vals[k]);

			if (unlikely(cell != CELL_VALUE))
			{
				if (cell == CELL_BAD)
				{
					bad = true;
					break;
				}
				nmissing++;
				s->have[k] = false;
			}
			else
				s->have[k] = true;
		}
		if (unlikely(bad))
			continue;
		if (c->key_col >= 0)
		{
			key = import_key(s, rec);
			if (unlikely(key == UINT32_MAX))
				continue;
		}
		else if (unlikely(s->nkeys == 0))
			import_new_key(s, "", 0, 0);
		c->records++;
		c->lines_data += rec->nlines;
		c->missing += nmissing;
		c->produced += nvalues - nmissing;
		base = key * (uint32) nvalues;
		for (k = 0; k < nvalues; k++)
			if (likely(s->have[k]))
				import_append(s, base + (uint32) k, rec, s->ts, s->vals[k]);
	}
	return true;
}

/*
 * import_flush_end
 *		At the end of the file: write the next series with points left as
 *		a segment (false when none is left).
 */
static bool
import_flush_end(ImportState *s)
{
	size_t		nseries = s->nkeys * (size_t) s->csv.nvalues;

	for (; s->eof_next < nseries; s->eof_next++)
	{
		uint32		i = (uint32) s->eof_next;
		uint32		n = s->series[i].n;

		CHECK_FOR_INTERRUPTS();
		if (n > 0)
		{
			import_write(s, i, Min(n, s->seg_points));
			return true;
		}
	}
	return false;
}

/*
 * chronos_import_csv(path text, time_column text, key_column text,
 *					  value_columns text[], header boolean, delimiter text,
 *					  time_format text, on_error text, codec text,
 *					  segment_size integer)
 *		-> TABLE(series text, segment compact_ts)
 *
 * The file's points as compact_ts segments of at most segment_size points
 * (default chronos.chunk_size), in time order within each series, encoded
 * with codec (default chronos.default_codec).  Within chronos.max_memory_mb
 * whatever the size of the file and the number of series (see the top of
 * the file).  The state lives in an op under the multi-call context; the
 * returned row (which holds a copy of the segment) in the per-call context.
 */
Datum
chronos_import_csv(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	ImportState *s;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	HeapTuple	tuple;
	ImportSegment seg;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		ChronosMemOp *op;
		TupleDesc	tupdesc;
		StreamCsv  *c;
		int32		segment_size;
		Size		avail;
		int			k;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		op = chronos_op_begin(funcctx->multi_call_memory_ctx, "chronos import csv",
							  CHRONOS_MEM_WORK);
		MemoryContextSwitchTo(chronos_op_context(op));
		s = (ImportState *) palloc0(sizeof(ImportState));
		s->op = op;
		s->tupdesc = BlessTupleDesc(tupdesc);
		c = &s->csv;
		funcctx->user_fctx = s;

		if (PG_ARGISNULL(ARG_CODEC))
			chronos_codec_default(&s->codec);
		else
			chronos_codec_from_text(PG_GETARG_TEXT_PP(ARG_CODEC), &s->codec);
		segment_size = PG_ARGISNULL(ARG_SEGMENT_SIZE) ? chronos_chunk_size :
			PG_GETARG_INT32(ARG_SEGMENT_SIZE);
		if (segment_size < 1 || segment_size > STREAM_MAX_SEGMENT)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("segment_size must be between 1 and %d: %d",
							STREAM_MAX_SEGMENT, segment_size)));
		c->reject_infinite = (s->codec.kind != CTS_CODEC2_LOSSLESS);

		csv_begin(c, op, fcinfo, "chronos_import_csv");

		/*
		 * Segment size: at most what half of the memory left now can buffer
		 * and write (16 bytes a point buffered, 16 to gather it,
		 * STREAM_FLUSH_BYTES to sort and encode it).
		 */
		avail = chronos_memory_limit() > chronos_memory_used() ?
			chronos_memory_limit() - chronos_memory_used() : 0;
		s->seg_points = (uint32) Min((Size) segment_size,
									 Max(avail / 2 / (2 * sizeof(cts_point) + STREAM_FLUSH_BYTES),
										 (Size) CTS_DEFAULT_BLOCK_POINTS));
		s->tail = s->seg_points / STREAM_TAIL_DIVISOR;
		s->max_points = s->seg_points + s->tail;
		s->max_pages = (s->max_points + STREAM_PAGE_POINTS - 1) / STREAM_PAGE_POINTS;
		s->reserve = (Size) s->max_points * STREAM_FLUSH_BYTES + STREAM_FLUSH_MARGIN;
		if (c->ncols > 0)
		{
			s->vals = (double *) chronos_alloc(op, sizeof(double) * c->nvalues, "record values");
			s->have = (bool *) chronos_alloc(op, sizeof(bool) * c->nvalues, "record values");
			s->flush = (cts_point *) chronos_alloc(op, (Size) s->max_points * sizeof(cts_point),
												   "segment buffer");
			s->by_pages = (int32 *) chronos_alloc(op, sizeof(int32) * (s->max_pages + 1),
												  "series by size");
			for (k = 0; k <= (int) s->max_pages; k++)
				s->by_pages[k] = -1;
		}
		else
			s->done = true;
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	s = (ImportState *) funcctx->user_fctx;

	stream_push_context(s->csv.file);
	while (s->qlen == 0)
	{
		if (!s->done && !s->eof)
		{
			if (!stream_guarded(s->csv.file, import_fill, s))
			{
				/* csv_end runs under the context pushed above */
				s->eof = true;
				csv_end(&s->csv, "points");
			}
		}
		else if (s->done || !import_flush_end(s))
		{
			stream_pop_context(s->csv.file);
			if (!s->eof && s->csv.file->fd >= 0)
				csv_end(&s->csv, "points");
			SRF_RETURN_DONE(funcctx);
		}
	}
	stream_pop_context(s->csv.file);

	seg = s->queue[s->qhead];
	s->qhead++;
	s->qlen--;
	if (s->qlen == 0)
		s->qhead = 0;

	values[0] = PointerGetDatum(import_series_name(s, seg.series));
	values[1] = PointerGetDatum(seg.segment);
	tuple = heap_form_tuple(s->tupdesc, values, nulls);
	/* the tuple holds a copy: the segment's memory goes back at once */
	chronos_free(s->op, seg.segment);
	SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
}

/* ----------------------------------------------------------------
 *		chronos_file_chunks
 * ----------------------------------------------------------------
 */

typedef struct ChunksFileState
{
	StreamFile *file;
	int32		chunk_bytes;
	uint64		offset;			/* where the next chunk starts */
	uint64		line;			/* its first line */
	int64		chunk_no;
	/* the chunk found by chunks_scan */
	uint64		end;
	uint64		lfs;
	bool		end_lf;			/* its last byte is a line feed */
} ChunksFileState;

/*
 * chunks_count
 *		Line feeds in bytes [from, to) of the file (through the windows).
 */
static uint64
chunks_count(StreamFile *f, uint64 from, uint64 to)
{
	uint64		lfs = 0;

	while (from < to)
	{
		const char *p;
		const char *end;

		CHECK_FOR_INTERRUPTS();
		if (from < f->win_base || from >= f->win_base + f->win_len)
			stream_load(f, from);
		p = f->win + (from - f->win_base);
		end = f->win + Min(to - f->win_base, (uint64) f->win_len);
		while ((p = memchr(p, '\n', end - p)) != NULL)
		{
			lfs++;
			p++;
		}
		from = f->win_base + f->win_len < to ? f->win_base + f->win_len : to;
	}
	return lfs;
}

/*
 * chunks_byte
 *		The byte at file offset off (< size), through the windows.
 */
static char
chunks_byte(StreamFile *f, uint64 off)
{
	if (off < f->win_base || off >= f->win_base + f->win_len)
		stream_load(f, off);
	return f->win[off - f->win_base];
}

/*
 * chunks_scan
 *		The chunk starting at state->offset: chunk_bytes bytes, then on up
 *		to and including the next line feed, unless they end one (or the
 *		file ends first).  Runs under the SIGBUS guard.
 */
static bool
chunks_scan(void *arg)
{
	ChunksFileState *s = (ChunksFileState *) arg;
	StreamFile *f = s->file;
	uint64		end = Min(s->offset + (uint64) s->chunk_bytes, f->size);

	s->lfs = chunks_count(f, s->offset, end);
	if (end < f->size && chunks_byte(f, end - 1) != '\n')
	{
		for (;;)
		{
			const char *p;
			const char *lf;

			CHECK_FOR_INTERRUPTS();
			if (end >= f->size)
				break;
			if (end < f->win_base || end >= f->win_base + f->win_len)
				stream_load(f, end);
			p = f->win + (end - f->win_base);
			lf = memchr(p, '\n', f->win_len - (size_t) (end - f->win_base));
			if (lf != NULL)
			{
				end = f->win_base + (uint64) (lf - f->win) + 1;
				s->lfs++;
				break;
			}
			end = f->win_base + f->win_len;
		}
	}
	s->end = end;
	s->end_lf = end > s->offset && chunks_byte(f, end - 1) == '\n';
	return true;
}

/*
 * chronos_file_chunks(path text, chunk_bytes integer)
 *		-> TABLE(chunk_no bigint, byte_offset bigint, bytes bigint,
 *				 lines bigint, first_line bigint)
 *
 * The file cut into chunks of at least chunk_bytes bytes that end at a line
 * end (the last one at the end of the file): where each starts, its size,
 * the lines it holds (a last line without a line feed counts) and the
 * number of its first line.  Lines are physical lines, as wc -l counts
 * them (plus a last unterminated one): a quoted CSV field with a line
 * break counts twice.  Any file's bytes are counted; nothing is parsed.
 */
Datum
chronos_file_chunks(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	ChunksFileState *s;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	HeapTuple	tuple;
	uint64		lines;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		ChronosMemOp *op;
		TupleDesc	tupdesc;
		int32		chunk_bytes = PG_GETARG_INT32(1);

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		if (chunk_bytes < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("chunk_bytes must be positive: %d", chunk_bytes)));
		op = chronos_op_begin(funcctx->multi_call_memory_ctx, "chronos file chunks",
							  CHRONOS_MEM_WORK);
		MemoryContextSwitchTo(chronos_op_context(op));
		s = (ChunksFileState *) palloc0(sizeof(ChunksFileState));
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		s->chunk_bytes = chunk_bytes;
		s->line = 1;
		s->file = stream_open(op, PG_GETARG_TEXT_PP(0), "chronos_file_chunks");
		funcctx->user_fctx = s;
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	s = (ChunksFileState *) funcctx->user_fctx;

	stream_push_context(s->file);
	if (s->offset >= s->file->size)
	{
		stream_close(s->file);
		stream_pop_context(s->file);
		SRF_RETURN_DONE(funcctx);
	}
	stream_guarded(s->file, chunks_scan, s);
	stream_progress(s->file, s->end, (uint64) s->chunk_no + 1, 0);
	stream_pop_context(s->file);

	/* a last line without a line feed is a line too */
	lines = s->lfs + (s->end_lf ? 0 : 1);
	s->chunk_no++;
	values[0] = Int64GetDatum(s->chunk_no);
	values[1] = Int64GetDatum((int64) s->offset);
	values[2] = Int64GetDatum((int64) (s->end - s->offset));
	values[3] = Int64GetDatum((int64) lines);
	values[4] = Int64GetDatum((int64) s->line);
	s->line += s->lfs;
	s->offset = s->end;

	tuple = heap_form_tuple(funcctx->tuple_desc, values, nulls);
	SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
}

/* ----------------------------------------------------------------
 *		chronos_chunks
 * ----------------------------------------------------------------
 */

typedef struct ChunksState
{
	ChronosBlockReader reader;
	uint32		pos;			/* next point of the current block */
	int32		chunk_points;
	int64		chunk_no;
} ChunksState;

/*
 * chronos_chunks(data compact_ts, chunk_points integer)
 *		-> TABLE(chunk_no bigint, first_time timestamptz,
 *				 last_time timestamptz, points bigint, sum float8,
 *				 min float8, max float8, avg float8)
 *
 * The series in consecutive chunks of chunk_points points (the last one
 * shorter), decoded one block at a time, whatever the chunks' alignment
 * with the blocks.  The summaries are of the decoded values, as unnest
 * returns them (each within max_error of the original), by the rules of
 * sum, min, max and avg(float8): NaN and infinities as PostgreSQL treats
 * them, 22003 when a sum overflows; the sum is compensated.  The value and
 * one block's buffers live in an op under the multi-call context.
 */
Datum
compact_ts_chunks(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	ChunksState *s;
	Datum		values[8];
	bool		nulls[8] = {false, false, false, false, false, false, false, false};
	HeapTuple	tuple;
	cts_agg		acc;
	int64		first = 0;
	int64		last = 0;
	double		sum;
	double		min;
	double		max;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;
		ChronosMemOp *op;
		TupleDesc	tupdesc;
		CompactTs  *value;
		int32		chunk_points = PG_GETARG_INT32(1);

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		if (chunk_points < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("chunk_points must be positive: %d", chunk_points)));
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		op = chronos_op_begin(funcctx->multi_call_memory_ctx, "chronos chunks",
							  CHRONOS_MEM_WORK);
		value = chronos_detoast(op, PG_GETARG_DATUM(0));
		s = (ChunksState *) MemoryContextAllocZero(chronos_op_context(op), sizeof(ChunksState));
		chronos_reader_init(&s->reader, op, CTS_PAYLOAD(value), CTS_PAYLOAD_LEN(value), true);
		s->chunk_points = chunk_points;
		funcctx->user_fctx = s;
		MemoryContextSwitchTo(oldcontext);
	}

	funcctx = SRF_PERCALL_SETUP();
	s = (ChunksState *) funcctx->user_fctx;

	cts_agg_init(&acc);
	while (acc.count < (uint64) s->chunk_points)
	{
		uint32		take;

		if (s->pos >= s->reader.npoints)
		{
			if (!chronos_reader_next(&s->reader))
				break;
			s->pos = 0;
			continue;
		}
		take = (uint32) Min((uint64) (s->reader.npoints - s->pos),
							(uint64) s->chunk_points - acc.count);
		if (acc.count == 0)
			first = s->reader.ts[s->pos];
		cts_agg_points(&acc, s->reader.values, s->pos, s->pos + take, 0);
		last = s->reader.ts[s->pos + take - 1];
		s->pos += take;
	}
	if (acc.count == 0)
		SRF_RETURN_DONE(funcctx);

	/* NaN, Infinity and overflow as sum/min/max/avg(float8) give them */
	sum = chronos_agg_sum(&acc, &min, &max);
	s->chunk_no++;
	values[0] = Int64GetDatum(s->chunk_no);
	values[1] = TimestampTzGetDatum(first);
	values[2] = TimestampTzGetDatum(last);
	values[3] = Int64GetDatum((int64) acc.count);
	values[4] = Float8GetDatum(sum);
	values[5] = Float8GetDatum(min);
	values[6] = Float8GetDatum(max);
	values[7] = Float8GetDatum(sum / (double) acc.count);
	tuple = heap_form_tuple(funcctx->tuple_desc, values, nulls);
	SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
}

/* ----------------------------------------------------------------
 *		Settings
 * ----------------------------------------------------------------
 */

/*
 * chronos_stream_init
 *		Define chronos.stream_window_kb and chronos.stream_method; called
 *		once from _PG_init.
 */
void
chronos_stream_init(void)
{
	DefineCustomIntVariable("chronos.stream_window_kb",
							"Size of the windows through which chronos reads files.",
							"It is also the longest CSV line chronos reads. A pread window "
							"and the buffer for unescaping quoted fields count against "
							"chronos.max_memory_mb.",
							&chronos_stream_window_kb,
							1024,
							64,
							1024 * 1024,
							PGC_USERSET,
							GUC_UNIT_KB,
							NULL, NULL, NULL);
	DefineCustomEnumVariable("chronos.stream_method",
							 "How chronos reads files: pread into a buffer, or mmap'd windows.",
							 "mmap windows are guarded: a file truncated while mapped raises an "
							 "error instead of SIGBUS.",
							 &chronos_stream_method,
							 CHRONOS_STREAM_PREAD,
							 stream_method_options,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
}
