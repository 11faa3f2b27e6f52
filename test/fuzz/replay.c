/*-------------------------------------------------------------------------
 *
 * replay.c
 *	  Run a fuzz target's LLVMFuzzerTestOneInput over every file of its
 *	  corpus, without libFuzzer, so the ordinary test run replays the seeds
 *	  and every crasher ever found.
 *
 *	  usage: replay_<target> <dir-or-file>...
 *
 * Files are run in name order, each from an exact-size heap copy (so
 * AddressSanitizer sees any read past the input).  The driver prints
 * "running <file>" before each input; a target that finds a problem
 * aborts, which leaves that line as the last one.  Exit status 0 only if
 * every input ran and at least one did.
 *
 * Copyright (c) 2026, chronos developers
 *
 * IDENTIFICATION
 *	  test/fuzz/replay.c
 *
 *-------------------------------------------------------------------------
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static int
run_file(const char *path)
{
	FILE	   *f = fopen(path, "rb");
	uint8_t    *buf = NULL;
	size_t		len = 0,
				cap = 0;

	if (!f)
	{
		fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;)
	{
		size_t		got;

		if (len == cap)
		{
			cap = cap ? cap * 2 : 4096;
			buf = (uint8_t *) realloc(buf, cap);
			if (!buf)
			{
				fclose(f);
				return -1;
			}
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	fclose(f);
	{
		/* exact-size copy */
		uint8_t    *exact = (uint8_t *) malloc(len ? len : 1);

		memcpy(exact, buf, len);
		free(buf);
		printf("running %s (%zu bytes)\n", path, len);
		fflush(stdout);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int			a;
	long		ran = 0;

	if (argc < 2)
	{
		fprintf(stderr, "usage: %s <corpus-dir-or-file>...\n", argv[0]);
		return 2;
	}
	for (a = 1; a < argc; a++)
	{
		struct stat sb;

		if (stat(argv[a], &sb) != 0)
		{
			fprintf(stderr, "replay: %s: %s\n", argv[a], strerror(errno));
			return 2;
		}
		if (S_ISDIR(sb.st_mode))
		{
			DIR		   *d = opendir(argv[a]);
			struct dirent *de;
			char	  **names = NULL;
			size_t		nn = 0,
						nc = 0,
						i;

			if (!d)
			{
				fprintf(stderr, "replay: cannot open %s\n", argv[a]);
				return 2;
			}
			while ((de = readdir(d)) != NULL)
			{
				char	   *path;
				struct stat fs;

				if (de->d_name[0] == '.')
					continue;
				{
					size_t		plen = strlen(argv[a]) + strlen(de->d_name) + 2;

					path = (char *) malloc(plen);
					if (!path)
					{
						fprintf(stderr, "replay: out of memory\n");
						return 2;
					}
					snprintf(path, plen, "%s/%s", argv[a], de->d_name);
				}
				if (stat(path, &fs) != 0 || !S_ISREG(fs.st_mode))
				{
					free(path);
					continue;
				}
				if (nn == nc)
				{
					nc = nc ? nc * 2 : 64;
					names = (char **) realloc(names, nc * sizeof(char *));
					if (!names)
					{
						fprintf(stderr, "replay: out of memory\n");
						return 2;
					}
				}
				names[nn++] = path;
			}
			closedir(d);
			if (nn)
				qsort(names, nn, sizeof(char *), cmp_str);
			for (i = 0; i < nn; i++)
			{
				if (run_file(names[i]) != 0)
					return 2;
				ran++;
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
