/*
 * image_cmd.c - `kube images`: the image store from the command line, safe to use while the
 * agent runs (every change takes the store lock; the agent follows index.json).
 *
 *   kube images list [-q] [--digests]     IMAGE TAG IMAGE ID SIZE, as crictl images prints
 *   kube images import FILE|DIR...        oci-archive, docker-archive, OCI layout
 *   kube images rm REF...                 removes the image (all its names), as crictl rmi
 *   kube images inspect REF               the record: id, names, config, layer directories
 *   kube images pull REF... [--creds U:P] (hidden) registry pulls at once, for tests and debugging
 *   kube images mount REF DIR             (hidden) mounts the image's rootfs on DIR/rootfs
 *   kube images unmount DIR               (hidden) and undoes it
 *
 * Flags: --data-dir (default /var/lib/kube, $KUBE_DATA_DIR), --registries-config (pull),
 * --debug.
 */
#include "cri/internal.h"

#include <errno.h>
#include <string.h>

#include "lib/json.h"
#include "lib/log.h"
#include "lib/opt.h"
#include "lib/pki.h"
#include "lib/util.h"

struct icmd {
	char *data_dir;
	char *registries_config;
	char *creds;
	int quiet;
	int digests;
	int debug;
	struct image__paths paths;
	char **args;
	size_t nargs;
};

typedef int icmd_fn(struct icmd *c);

/* go-units' HumanSizeWithPrecision(size, 3): decimal units, three significant digits. */
static void icmd__human(uint64_t size, char out[32])
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };
	double v = (double)size;
	size_t u = 0;
	while (v >= 1000 && u + 1 < ARRAY_SIZE(units)) {
		v /= 1000;
		u++;
	}
	snprintf(out, 32, "%.3g%s", v, units[u]);
}

struct icmd__row {
	char *repo, *tag, *id, *digest, *size;
};

static int icmd__row_cmp(const void *a, const void *b)
{
	const struct icmd__row *x = a, *y = b;
	int c = strcmp(x->repo, y->repo);
	return c ? c : strcmp(x->tag, y->tag);
}

static void icmd__rows(const struct image *img, struct icmd__row **rows, size_t *n)
{
	char size[32];
	icmd__human(img->size, size);
	const char *digest = img->repo_digests[0] ? strchr(img->repo_digests[0], '@') : NULL;
	size_t count = image__strv_len(img->repo_tags);
	for (size_t i = 0; i < (count ? count : 1); i++) {
		struct icmd__row r = { 0 };
		if (count) {
			const char *t = img->repo_tags[i], *colon = strrchr(t, ':');
			r.repo = xstrndup(t, (size_t)(colon - t));
			r.tag = xstrdup(colon + 1);
		} else if (img->repo_digests[0]) {
			r.repo = xstrndup(img->repo_digests[0], (size_t)(digest - img->repo_digests[0]));
			r.tag = xstrdup("<none>");
		} else {
			r.repo = xstrdup("<none>");
			r.tag = xstrdup("<none>");
		}
		r.id = xstrndup(img->id + 7, 13);
		r.digest = digest ? xstrndup(digest + 8, 13) : xstrdup("<none>");
		r.size = xstrdup(size);
		*rows = xrealloc(*rows, (*n + 1) * sizeof(**rows));
		(*rows)[(*n)++] = r;
	}
}

/* Prints rows as crictl's tabwriter does: columns padded to the widest cell plus 3 (at least
 * 20). */
static void icmd__print(struct icmd__row *rows, size_t n, int digests)
{
	size_t w[4] = { 17, 17, 17, 17 }; /* IMAGE, TAG, DIGEST, IMAGE ID */
	for (size_t i = 0; i < n; i++) {
		w[0] = MAX(w[0], strlen(rows[i].repo));
		w[1] = MAX(w[1], strlen(rows[i].tag));
		w[2] = MAX(w[2], strlen(rows[i].digest));
		w[3] = MAX(w[3], strlen(rows[i].id));
	}
	printf("%-*s   %-*s   ", (int)w[0], "IMAGE", (int)w[1], "TAG");
	if (digests)
		printf("%-*s   ", (int)w[2], "DIGEST");
	printf("%-*s   %s\n", (int)w[3], "IMAGE ID", "SIZE");
	for (size_t i = 0; i < n; i++) {
		printf("%-*s   %-*s   ", (int)w[0], rows[i].repo, (int)w[1], rows[i].tag);
		if (digests)
			printf("%-*s   ", (int)w[2], rows[i].digest);
		printf("%-*s   %s\n", (int)w[3], rows[i].id, rows[i].size);
	}
}

static int icmd_list(struct icmd *c)
{
	struct image__index *idx = NULL;
	struct buf err = BUF_INIT;
	if (image__index_load(&c->paths, &idx, &err) != 0) {
		fprintf(stderr, "kube images: %s\n", buf_str(&err));
		buf_release(&err);
		return 1;
	}
	if (c->quiet) {
		for (size_t i = 0; i < idx->n; i++)
			printf("%s\n", idx->v[i]->id);
	} else {
		struct icmd__row *rows = NULL;
		size_t n = 0;
		for (size_t i = 0; i < idx->n; i++)
			icmd__rows(idx->v[i], &rows, &n);
		qsort(rows, n, sizeof(*rows), icmd__row_cmp);
		icmd__print(rows, n, c->digests);
		for (size_t i = 0; i < n; i++) {
			free(rows[i].repo);
			free(rows[i].tag);
			free(rows[i].id);
			free(rows[i].digest);
			free(rows[i].size);
		}
		free(rows);
	}
	image__index_free(idx);
	return 0;
}

static int icmd_import(struct icmd *c)
{
	int rc = 0;
	if (!c->nargs) {
		fprintf(stderr, "kube images import: give the archive(s) to import\n");
		return 2;
	}
	for (size_t i = 0; i < c->nargs; i++) {
		struct image **imgs = NULL;
		struct buf err = BUF_INIT;
		if (image__import(&c->paths, c->args[i], image_host_arch(), image_host_variant(), &imgs, &err) != 0) {
			fprintf(stderr, "kube images: %s\n", buf_str(&err));
			rc = 1;
		}
		for (size_t k = 0; imgs && imgs[k]; k++) {
			printf("imported %s (%s)\n", imgs[k]->repo_tags[0] ? imgs[k]->repo_tags[0] : "<none>", imgs[k]->id);
			image_unref(imgs[k]);
		}
		free(imgs);
		buf_release(&err);
	}
	return rc;
}

static int icmd_rm(struct icmd *c)
{
	int rc = 0;
	if (!c->nargs) {
		fprintf(stderr, "kube images rm: give the image(s) to remove\n");
		return 2;
	}
	for (size_t i = 0; i < c->nargs; i++) {
		struct image__index *idx = NULL;
		struct buf err = BUF_INIT;
		char **names = NULL;
		if (image__index_load(&c->paths, &idx, &err) == 0) {
			struct image *img = image__index_find(idx, c->args[i]);
			names = img ? image__strv_dup(img->repo_tags) : NULL;
		}
		image__index_free(idx);
		char *id = NULL;
		buf_reset(&err);
		if (image__remove(&c->paths, c->args[i], &id, &err) != 0) {
			fprintf(stderr, "ERROR: %s\n", buf_str(&err));
			rc = 1;
		} else if (names && names[0]) {
			for (size_t k = 0; names[k]; k++)
				printf("Deleted: %s\n", names[k]);
		} else {
			printf("Deleted: %s\n", id);
		}
		image__strv_free(names);
		free(id);
		buf_release(&err);
	}
	return rc;
}

static cJSON *icmd__strv_json(char *const *v)
{
	if (!v)
		return cJSON_CreateNull();
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; v[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static void icmd__print_image(const struct image *img)
{
	cJSON *o = cJSON_CreateObject();
	json_set_str(o, "id", img->id);
	json_set(o, "repoTags", icmd__strv_json(img->repo_tags));
	json_set(o, "repoDigests", icmd__strv_json(img->repo_digests));
	json_set_int(o, "size", (int64_t)img->size);
	json_set_str(o, "architecture", img->arch ? img->arch : "");
	cJSON *cfg = cJSON_CreateObject();
	json_set(cfg, "Entrypoint", icmd__strv_json(img->entrypoint));
	json_set(cfg, "Cmd", icmd__strv_json(img->cmd));
	json_set(cfg, "Env", icmd__strv_json(img->env));
	json_set_str(cfg, "WorkingDir", img->working_dir ? img->working_dir : "");
	json_set_str(cfg, "User", img->user ? img->user : "");
	json_set_str(cfg, "StopSignal", img->stop_signal ? img->stop_signal : "");
	json_set(o, "config", cfg);
	json_set(o, "layers", icmd__strv_json(img->layers));
	char *text = cJSON_Print(o);
	printf("%s\n", text);
	free(text);
	cJSON_Delete(o);
}

/* Loads the index and finds args[0]; prints an error when absent. */
static struct image *icmd__find(struct icmd *c, struct image__index **idx)
{
	struct buf err = BUF_INIT;
	*idx = NULL;
	if (image__index_load(&c->paths, idx, &err) != 0) {
		fprintf(stderr, "kube images: %s\n", buf_str(&err));
		buf_release(&err);
		return NULL;
	}
	buf_release(&err);
	struct image *img = image__index_find(*idx, c->args[0]);
	if (!img)
		fprintf(stderr, "kube images: no such image \"%s\"\n", c->args[0]);
	return img;
}

static int icmd_inspect(struct icmd *c)
{
	if (c->nargs != 1) {
		fprintf(stderr, "kube images inspect: give one image\n");
		return 2;
	}
	struct image__index *idx;
	struct image *img = icmd__find(c, &idx);
	if (img)
		icmd__print_image(img);
	image__index_free(idx);
	return img ? 0 : 1;
}

static int icmd_mount(struct icmd *c)
{
	if (c->nargs != 2) {
		fprintf(stderr, "kube images mount: give an image and a directory\n");
		return 2;
	}
	struct image__index *idx;
	struct image *img = icmd__find(c, &idx);
	struct buf err = BUF_INIT;
	int rc = 1;
	if (img && image__rootfs_mount(&c->paths, img, c->args[1], &err) != 0)
		fprintf(stderr, "kube images: %s\n", buf_str(&err));
	else if (img)
		rc = 0;
	buf_release(&err);
	image__index_free(idx);
	return rc;
}

static int icmd_unmount(struct icmd *c)
{
	if (c->nargs != 1) {
		fprintf(stderr, "kube images unmount: give the directory\n");
		return 2;
	}
	struct buf err = BUF_INIT;
	int rc = image__rootfs_unmount(&c->paths, c->args[0], &err) == 0 ? 0 : 1;
	if (rc)
		fprintf(stderr, "kube images: %s\n", buf_str(&err));
	buf_release(&err);
	return rc;
}

struct icmd__pull {
	struct image_store *s;
	int rc;
	size_t left; /* pulls not finished */
};

static void icmd__closed(void *arg)
{
	(void)arg;
}

static void icmd__pulled(void *arg, int err, const char *msg, struct image *img)
{
	struct icmd__pull *p = arg;
	if (err) {
		fprintf(stderr, "kube images: %s\n", msg);
		p->rc = 1;
	} else {
		printf("Image is up to date for %s\n", img->id);
	}
	if (--p->left == 0)
		image_store_close(p->s, icmd__closed, NULL);
}

/* The pull secret for --creds USER:PASSWORD on ref's registry (malloc'd), or NULL. */
static char *icmd__secret(const char *creds, const char *ref)
{
	struct image__ref r;
	if (!creds || image__ref_parse(ref, &r, NULL) != 0)
		return NULL;
	struct buf enc = BUF_INIT;
	pki_base64(creds, strlen(creds), &enc);
	char *secret = xasprintf("{\"auths\":{\"%s\":{\"auth\":\"%s\"}}}", r.domain, buf_str(&enc));
	image__ref_release(&r);
	buf_release(&enc);
	return secret;
}

/* Pulls every argument at once through one store (pulls of one reference join). */
static int icmd_pull(struct icmd *c)
{
	if (c->nargs < 1) {
		fprintf(stderr, "kube images pull: give an image\n");
		return 2;
	}
	uv_loop_t loop;
	uv_loop_init(&loop);
	struct image_store_config cfg = { .data_dir = c->data_dir, .registries_config = c->registries_config };
	struct icmd__pull p = { NULL, 0, 1 };
	struct buf err = BUF_INIT;
	if (image_store_open(&loop, &cfg, &p.s, &err) != 0) {
		fprintf(stderr, "kube images: %s\n", buf_str(&err));
		buf_release(&err);
		uv_loop_close(&loop);
		return 1;
	}
	for (size_t i = 0; i < c->nargs; i++) {
		char *secret = icmd__secret(c->creds, c->args[i]);
		const char *secrets[1] = { secret };
		struct image_pull_opts opts = { secrets, secret ? 1 : 0 };
		buf_reset(&err);
		p.left++;
		if (image_store_pull(p.s, c->args[i], &opts, icmd__pulled, &p, &err) != 0) {
			fprintf(stderr, "kube images: %s\n", buf_str(&err));
			p.rc = 1;
			p.left--;
		}
		free(secret);
	}
	if (--p.left == 0) /* the hold taken by the initialiser */
		image_store_close(p.s, icmd__closed, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	buf_release(&err);
	return p.rc;
}

static const struct {
	const char *name, *alias;
	icmd_fn *fn;
	const char *usage;
} icmd_table[] = {
	{ "list", "ls", icmd_list, "list [-q] [--digests]          List images" },
	{ "import", NULL, icmd_import, "import FILE|DIR...             Import oci-archive/docker-archive tarballs or an OCI layout" },
	{ "rm", "rmi", icmd_rm, "rm REF...                      Remove images" },
	{ "inspect", NULL, icmd_inspect, "inspect REF                    Show an image's record" },
	{ "pull", NULL, icmd_pull, NULL },
	{ "mount", NULL, icmd_mount, NULL },
	{ "unmount", NULL, icmd_unmount, NULL },
};

static void icmd__usage(FILE *out)
{
	fprintf(out, "Manage the agent's image store\n\nUsage:\n  kube images COMMAND [flags] [args]\n\nCommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(icmd_table); i++)
		if (icmd_table[i].usage)
			fprintf(out, "  %s\n", icmd_table[i].usage);
	fprintf(out, "\nFlags:\n  --data-dir DIR   Data directory (default \"/var/lib/kube\") [$KUBE_DATA_DIR]\n"
		     "  --debug          Debug logs\n");
}

int cmd_images(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		icmd__usage(stdout);
		return argc < 2 ? 2 : 0;
	}
	size_t k = 0;
	while (k < ARRAY_SIZE(icmd_table) && strcmp(argv[1], icmd_table[k].name) &&
	       !(icmd_table[k].alias && !strcmp(argv[1], icmd_table[k].alias)))
		k++;
	if (k == ARRAY_SIZE(icmd_table)) {
		fprintf(stderr, "kube images: unknown command \"%s\"\n", argv[1]);
		icmd__usage(stderr);
		return 2;
	}
	struct icmd c = { .data_dir = "/var/lib/kube", .registries_config = "/etc/kube/registries.yaml" };
	struct opt opts[] = {
		{ "data-dir", OPT_STRING, &c.data_dir, NULL, "Data directory", 0, 0, "DIR" },
		{ "registries-config", OPT_STRING, &c.registries_config, NULL, "Registry mirrors and credentials", 0, 0, "FILE" },
		{ "creds", OPT_STRING, &c.creds, NULL, "USER:PASSWORD for the pull", 0, 0, "CREDS", 1 },
		{ "quiet", OPT_BOOL, &c.quiet, NULL, "Only image ids", 0, 0, NULL },
		{ "digests", OPT_BOOL, &c.digests, NULL, "Show digests", 0, 0, NULL },
		{ "debug", OPT_BOOL, &c.debug, NULL, "Debug logs", 0, 0, NULL },
	};
	struct opt_cmd cmd = { "kube images", "Manage the agent's image store", "kube images COMMAND", NULL, opts,
			       ARRAY_SIZE(opts), NULL };
	struct buf err = BUF_INIT;
	int help = 0, rc = 2;
	/* lib/opt has long flags only: -q is --quiet. */
	char **av = xcalloc((size_t)argc, sizeof(*av));
	for (int i = 1; i < argc; i++)
		av[i - 1] = strcmp(argv[i], "-q") == 0 ? "--quiet" : argv[i];
	if (opt_parse(&cmd, argc - 1, av, &c.args, &c.nargs, &help, &err) != 0) {
		fprintf(stderr, "kube images: %s\n", buf_str(&err));
		goto out;
	}
	if (help) {
		icmd__usage(stdout);
		rc = 0;
		goto out;
	}
	log_init(c.debug ? LOG_DEBUG : LOG_WARN, NULL);
	if (image__paths_init(&c.paths, c.data_dir, &err) != 0) {
		fprintf(stderr, "kube images: %s\n", buf_str(&err));
		rc = 1;
		goto out;
	}
	rc = icmd_table[k].fn(&c);
	image__paths_release(&c.paths);
out:
	free(c.args);
	free(av);
	opt_free(&cmd);
	buf_release(&err);
	return rc;
}
