/*-------------------------------------------------------------------------
 *
 * replay_csv.c
 *	  Run fuzz_csv.c's LLVMFuzzerTestOneInput over files, without libFuzzer,
 *	  so the ordinary test run replays the seeds and every crasher found.
 *
 *	  usage: replay_csv <dir-or-file>...
 *
 * Files of a directory run in name order, each from an exact-size heap
 * copy (so AddressSanitizer sees a read past the input).  "running <file>"
 * is printed before each; a failing input aborts, which leaves its name as
 * the last line.  Exit status 0 only if at least one input ran.  (Like
 * test/fuzz/replay.c; kept separate so the CSV tests build on their own.)
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/csv/replay_csv.c
 *
 *-------------------------------------------------------------------------
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
	FILE	   *f = fopen(path, "rb");
	long		len;
	uint8_t    *buf;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
		fseek(f, 0, SEEK_SET) != 0)
	{
		fprintf(stderr, "replay: cannot read %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	buf = (uint8_t *) malloc(len ? (size_t) len : 1);
	if (buf == NULL || fread(buf, 1, (size_t) len, f) != (size_t) len)
	{
		fprintf(stderr, "replay: cannot read %s\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	printf("running %s (%ld bytes)\n", path, len);
	fflush(stdout);
	LLVMFuzzerTestOneInput(buf, (size_t) len);
	free(buf);
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

int
main(int argc, char **argv)
{
	long		ran = 0;
	int			a;

	for (a = 1; a < argc; a++)
	{
		struct stat sb;

		if (stat(argv[a], &sb) != 0)
		{
			fprintf(stderr, "replay: %s: not found\n", argv[a]);
			return 2;
		}
		if (S_ISDIR(sb.st_mode))
		{
			DIR		   *d = opendir(argv[a]);
			struct dirent *de;
			char	  **names = NULL;
			size_t		nn = 0,
						i;

			if (d == NULL)
				return 2;
			while ((de = readdir(d)) != NULL)
			{
				size_t		l;
				char	   *path;

				if (de->d_name[0] == '.')
					continue;
				l = strlen(argv[a]) + strlen(de->d_name) + 2;
				path = (char *) malloc(l);
				names = (char **) realloc(names, (nn + 1) * sizeof(char *));
				if (path == NULL || names == NULL)
					return 2;
				snprintf(path, l, "%s/%s", argv[a], de->d_name);
				names[nn++] = path;
			}
			closedir(d);
			if (nn)
				qsort(names, nn, sizeof(char *), cmp_names);
			for (i = 0; i < nn; i++)
			{
				struct stat fs;

				if (stat(names[i], &fs) == 0 && S_ISREG(fs.st_mode))
				{
					if (run_file(names[i]) != 0)
						return 2;
					ran++;
				}
				free(names[i]);
			}
			free(names);
		}
		else
		{
			if (run_file(argv[a]) != 0)
				return 2;
			ran++;
		}
	}
	printf("%ld inputs replayed, no failure\n", ran);
	return ran > 0 ? 0 : 1;
}
