/*
 * driver.c: a main() for the fuzz targets where libFuzzer is absent
 * (gcc builds, make check): run each file named on the command line,
 * or each file in each directory named, through the target once.  A
 * bad input aborts, as under libFuzzer, so the corpus is a regression
 * test.  Without arguments (make check), the target's seed and
 * regression corpus, $srcdir/fuzz/corpus/FUZZ_CORPUS, is replayed.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static unsigned	nrun;

static void
run_file(const char *path)
{
	FILE		*f;
	uint8_t		*buf;
	long		 n;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		exit(99);
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		perror(path);
		exit(99);
	}
	/* Exactly n bytes, so a read past the input is caught. */
	if ((buf = malloc(n ? n : 1)) == NULL ||
	    fread(buf, 1, n, f) != (size_t)n) {
		perror(path);
		exit(99);
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	nrun++;
}

static void
run_path(const char *path)
{
	struct stat	 sb;
	struct dirent	*d;
	DIR		*dir;
	char		 sub[4096];

	if (stat(path, &sb) == -1) {
		perror(path);
		exit(99);
	}
	if (!S_ISDIR(sb.st_mode)) {
		run_file(path);
		return;
	}
	if ((dir = opendir(path)) == NULL) {
		perror(path);
		exit(99);
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "%s/%s", path, d->d_name);
		run_path(sub);
	}
	closedir(dir);
}

int
main(int argc, char **argv)
{
	const char	*srcdir = getenv("srcdir");
	char		 dir[4096];
	int		 i;

	for (i = 1; i < argc; i++)
		run_path(argv[i]);
#ifdef FUZZ_CORPUS
	if (argc == 1) {
		snprintf(dir, sizeof dir, "%s/fuzz/corpus/%s",
		    srcdir != NULL ? srcdir : ".", FUZZ_CORPUS);
		run_path(dir);
	}
#else
	(void)srcdir;
	(void)dir;
#endif
	printf("%s: %u inputs replayed\n", argv[0], nrun);
	return (nrun > 0 ? 0 : 99);
}
