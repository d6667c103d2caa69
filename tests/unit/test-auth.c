/* Unit tests for the --token-auth-file parser (server/auth.c): upstream's static token CSV. */
#include "test.h"
#include "buf.h"
#include "server/server.h"
#include "util.h"

#include <string.h>

/* Parses text (a C string); returns the parser's result, tokens in *t, *n. */
static int parse(const char *text, struct static_token **t, size_t *n, struct buf *err)
{
	buf_reset(err);
	return auth_static_tokens_parse(text, strlen(text), "tokens.csv", t, n, err);
}

TEST_IMPL(auth_tokens_basic)
{
	struct static_token *t = NULL;
	size_t n = 0;
	struct buf err = BUF_INIT;
	ASSERT_EQ(parse("admin-token,admin,admin,\"system:masters\"\n\n"
			"t2,bob,uid-2,\"dev,ops\",extra,columns\r\n"
			"t3,carol,3\n"
			",empty,4\n"
			"t4,dave,5,\"a,,b\"", &t, &n, &err), 0);
	ASSERT_EQ(n, 4);
	ASSERT_STR(t[0].token, "admin-token");
	ASSERT_STR(t[0].user, "admin");
	ASSERT_EQ(t[0].ngroups, 1);
	ASSERT_STR(t[0].groups[0], "system:masters");
	ASSERT_STR(t[1].uid, "uid-2");
	ASSERT_EQ(t[1].ngroups, 2);
	ASSERT_STR(t[1].groups[1], "ops");
	ASSERT_EQ(t[2].ngroups, 0);
	ASSERT_EQ(t[3].ngroups, 2);
	ASSERT_STR(t[3].groups[1], "b");
	auth_static_tokens_free(t, n);
	buf_release(&err);
	return 0;
}

TEST_IMPL(auth_tokens_quotes)
{
	struct static_token *t = NULL;
	size_t n = 0;
	struct buf err = BUF_INIT;
	ASSERT_EQ(parse("\"to,k\",\"say \"\"hi\"\"\",1,\"g1,\ng2\"\nx,second,2\n", &t, &n, &err), 0);
	ASSERT_EQ(n, 2);
	ASSERT_STR(t[0].token, "to,k");
	ASSERT_STR(t[0].user, "say \"hi\"");
	ASSERT_STR(t[0].groups[1], "\ng2");
	ASSERT_STR(t[1].user, "second");
	auth_static_tokens_free(t, n);
	/* a later duplicate replaces the earlier entry */
	ASSERT_EQ(parse("a,u1,1\na,u2,2,g\n", &t, &n, &err), 0);
	ASSERT_EQ(n, 1);
	ASSERT_STR(t[0].user, "u2");
	auth_static_tokens_free(t, n);
	ASSERT_EQ(parse("", &t, &n, &err), 0);
	ASSERT_EQ(n, 0);
	auth_static_tokens_free(t, n);
	buf_release(&err);
	return 0;
}

TEST_IMPL(auth_tokens_errors)
{
	struct static_token *t = NULL;
	size_t n = 0;
	struct buf err = BUF_INIT;
	ASSERT(parse("a,b,c\n\nonly,two\n", &t, &n, &err) < 0);
	ASSERT(t == NULL && n == 0);
	ASSERT_STR(err.data, "tokens.csv:3: a line must have at least 3 columns (token, user name, user uid), found 2\n");
	ASSERT(parse("a,b,c\nx,y\"z,1\n", &t, &n, &err) < 0);
	ASSERT(strstr(err.data, "tokens.csv:2: bare \"") != NULL);
	ASSERT(parse("a,\"b\"x,c\n", &t, &n, &err) < 0);
	ASSERT(strstr(err.data, "tokens.csv:1: extraneous or missing \"") != NULL);
	ASSERT(parse("a,b,\"c\n\n", &t, &n, &err) < 0);
	ASSERT(strstr(err.data, "tokens.csv:1: extraneous") != NULL);
	ASSERT(parse("a\n", &t, &n, &err) < 0);
	ASSERT(strstr(err.data, "found 1") != NULL);
	buf_release(&err);
	return 0;
}

TEST_IMPL(auth_tokens_load)
{
	struct static_token *t = NULL;
	size_t n = 0;
	struct buf err = BUF_INIT, path = BUF_INIT;
	buf_addf(&path, "%s/none.csv", test_tmpdir());
	ASSERT(auth_static_tokens_load(path.data, &t, &n, &err) < 0);
	ASSERT(strstr(err.data, "--token-auth-file: cannot read") != NULL);
	buf_reset(&path);
	buf_addf(&path, "%s/t.csv", test_tmpdir());
	ASSERT_EQ(write_file_atomic(path.data, "tok,me,1\nbad\n", 14, 0600), 0);
	buf_reset(&err);
	ASSERT(auth_static_tokens_load(path.data, &t, &n, &err) < 0);
	ASSERT(strstr(err.data, "t.csv:2: a line must have") != NULL);
	buf_release(&err);
	buf_release(&path);
	return 0;
}
