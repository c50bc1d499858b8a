/*
 * store.h - the only door to the database. Everything else sees plain record
 * structs and functions; SQL and the driver headers stay inside src/store/.
 *
 * Connections: a `struct store` is shared by all threads; each thread that
 * touches it gets its own connection (created on first use, closed by
 * store_close). Reads run on the calling thread's connection.
 *
 * Writes: every write runs as a job passed to store_write(). Without group
 * commit the job runs at once in its own transaction. With group commit
 * (STORE_GROUP_COMMIT, used by `serve`) one writer thread runs the jobs that
 * queue up, each inside a SAVEPOINT, and commits them together; a syncer
 * thread then fdatasyncs the WAL once for every batch committed so far. A
 * job's caller returns only after that sync, so an acknowledged write is
 * durable, while throughput is not capped at one fsync per request and the
 * writer does not wait for the disk. Without group commit every commit is
 * synced (synchronous=FULL).
 */
#ifndef CHUISHAO_STORE_H
#define CHUISHAO_STORE_H

#include <stdint.h>
#include "core/core.h"

struct store;

enum store_flags {
    STORE_CREATE = 1,       /* create the database file if missing */
    STORE_GROUP_COMMIT = 2, /* run writes on a batching writer thread */
    STORE_READONLY = 4,     /* open without writing (migrations are not run) */
};

/* Opens (and with STORE_CREATE creates) the database at path with the
 * SQLite driver, sets WAL and synchronous=FULL, and applies pending
 * migrations. OUT: *out, freed with store_close. ERR_NOTFOUND if the file
 * does not exist and STORE_CREATE is not given; ERR_STORE otherwise. */
MUST_CHECK int store_open(const char *path, int flags, struct store **out, struct err *e);
/* Stops the writer thread (after finishing queued jobs) and closes every
 * connection. */
void store_close(struct store *s);
/* Name of the driver ("sqlite"). */
const char *store_driver_name(const struct store *s);
/* The schema version after migrations. */
int store_schema_version(struct store *s);

/* A write job. It runs inside a transaction (a savepoint of a batch under
 * group commit) on a connection of the store; any store_* call made by it
 * runs inside that transaction. It returns 0 to keep its work or a negative
 * ERR_* (with e set) to have all of it rolled back. */
typedef int (*store_job_fn)(struct store *s, void *arg, struct err *e);

/* Runs fn(s, arg, e) as one atomic write and returns its result once the
 * work is durable (or rolled back). Called from inside a write job it simply
 * runs fn in the same transaction (nesting). Called from inside store_read
 * it also joins that transaction, which the read then rolls back: the work
 * is seen by the rest of the read and then dropped, so this is only for
 * derived data that is recomputed when missing (the statistics roll-ups'
 * catch-up). The transaction remembers where it was begun (the caller's
 * file and line, through the macro), and says so when it is found left
 * open. */
MUST_CHECK int store_write_at(struct store *s, store_job_fn fn, void *arg, struct err *e,
                              const char *file, int line);
#define store_write(s, fn, arg, e) store_write_at((s), (fn), (arg), (e), __FILE__, __LINE__)

/* Called on the syncer thread once the batch holding an async job has been
 * committed and synced (rc 0) or rolled back (rc < 0: the job's own error,
 * or the commit's; ERR_UNSYNCED: committed but the sync failed). Must not
 * block. */
typedef void (*store_done_fn)(void *arg, int rc);

/* Queues fn(s, arg, e) to run as one atomic write in the next batch and
 * returns at once; done(done_arg, rc) is called when the batch is durable
 * (on the syncer thread), with e (may be NULL; must live until then) saying
 * why when rc is an error of the batch rather than of fn. Only with group
 * commit: ERR_UNSUPPORTED otherwise (callers then use store_write). fn runs
 * on the writer thread, so it must be quick. */
MUST_CHECK int store_write_async_at(struct store *s, store_job_fn fn, void *arg, store_done_fn done,
                                    void *done_arg, struct err *e, const char *file, int line);
#define store_write_async(s, fn, arg, done, done_arg, e)                                           \
    store_write_async_at((s), (fn), (arg), (done), (done_arg), (e), __FILE__, __LINE__)

/* Runs fn inside a read transaction on this thread's connection, so that
 * several queries see one snapshot. Nests like store_write. */
MUST_CHECK int store_read_at(struct store *s, store_job_fn fn, void *arg, struct err *e,
                             const char *file, int line);
#define store_read(s, fn, arg, e) store_read_at((s), (fn), (arg), (e), __FILE__, __LINE__)

/* Transactions found left open so far (a connection that was inside a
 * transaction the store did not begin, or at store_leave or store_close):
 * each is rolled back and reported on stderr with where the last one of the
 * store began. For tests and diagnostics. */
int64_t store_left_open(struct store *s);

/* Bulk loading (demo generators): on = 1 turns off waiting for the disk
 * on this thread's connection (a crash may lose the last transactions,
 * never corrupt the file), enlarges its page cache and drops the secondary
 * indexes of cases and events (their SQL is kept in the setting
 * bulk_indexes); on = 0 builds the indexes again, which is much faster than
 * keeping them up to date row by row, and restores synchronous=FULL. If the
 * process dies in between, the next store_open rebuilds them. Call outside
 * a transaction, on a store without other users. */
MUST_CHECK int store_bulk_load(struct store *s, int on, struct err *e);

/* Statistics of the writer: jobs and commits so far (for benchmarks). */
void store_write_stats(struct store *s, int64_t *jobs, int64_t *commits);

/* Brackets one request's use of the store by the calling thread (nesting
 * allowed). With group commit (`serve`), reads between the two may share a
 * read snapshot kept open across requests: it is renewed after any write
 * transaction this process commits, and after STORE_SNAPSHOT_MS (10 ms), so
 * a commit of this process is seen by the next read and one of another
 * process (the CLI) within 10 ms. Idle threads' snapshots are ended by the
 * checkpointer. Without group commit both do nothing. */
void store_enter(struct store *s);
void store_leave(struct store *s);

/* Change generations, for caches of what is read (group commit only). The
 * store's generation grows with every write transaction this process
 * commits; what is read after store_gen returned g reflects at least every
 * change up to g. store_case_gen(id) is the generation of the last commit
 * that may have changed case id (collisions and commits of other processes,
 * which the writer notices, count as changes), or INT64_MAX without group
 * commit (nothing is tracked). So an answer built from reads begun at
 * generation g is current while store_case_gen(id) <= g. */
int64_t store_gen(struct store *s);
int64_t store_case_gen(struct store *s, int64_t id);

/* ---- settings: small key/value configuration --------------------------- */
/* Copies the value of key into out (n bytes); ERR_NOTFOUND if unset. */
MUST_CHECK int store_setting_get(struct store *s, const char *key, char *out, size_t n,
                                 struct err *e);
/* Sets key to value (a write: call from a job or it runs as its own). */
MUST_CHECK int store_setting_set(struct store *s, const char *key, const char *value,
                                 struct err *e);

#endif
