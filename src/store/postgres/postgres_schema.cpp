#include "store/postgres/postgres_schema.hpp"

namespace edgehub::store {

// Text keys use the "C" collation: names sort byte by byte, as SQLite sorts
// them, whatever locale the server was initialised with.
const std::vector<std::string_view>& postgres_migrations() {
  static const std::vector<std::string_view> steps = {
      // 1: what SQLite's migrations 1 to 5 hold (sqlite_schema.cpp), plus
      // the change counter that data_version() reads.
      R"sql(
        CREATE TABLE meta (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE accounts (
          name TEXT COLLATE "C" PRIMARY KEY,
          password_hash TEXT NOT NULL,
          origin TEXT NOT NULL DEFAULT 'file',
          is_admin BOOLEAN NOT NULL DEFAULT FALSE);
        CREATE TABLE account_unlocks (name TEXT COLLATE "C" PRIMARY KEY, at_unix BIGINT NOT NULL);
        CREATE TABLE logins (
          id BIGSERIAL PRIMARY KEY,
          name TEXT NOT NULL,
          ip TEXT NOT NULL,
          udp_port INTEGER NOT NULL,
          login_unix BIGINT NOT NULL,
          logout_unix BIGINT);
        CREATE INDEX logins_by_time ON logins (login_unix);
        CREATE INDEX logins_open ON logins (logout_unix) WHERE logout_unix IS NULL;
        CREATE TABLE offline_messages (
          id BIGSERIAL PRIMARY KEY,
          seq BIGINT NOT NULL,
          recipient TEXT COLLATE "C" NOT NULL,
          sender TEXT NOT NULL,
          kind TEXT NOT NULL,
          body TEXT NOT NULL,
          sent_unix BIGINT NOT NULL);
        CREATE INDEX offline_by_recipient ON offline_messages (recipient, seq);
        CREATE TABLE offline_counts (recipient TEXT COLLATE "C" PRIMARY KEY, n BIGINT NOT NULL);
        CREATE TABLE blocks (
          blocker TEXT COLLATE "C" NOT NULL,
          blocked TEXT COLLATE "C" NOT NULL,
          PRIMARY KEY (blocker, blocked));
        CREATE TABLE device_certificates (
          serial TEXT COLLATE "C" PRIMARY KEY,
          name TEXT COLLATE "C" NOT NULL,
          fingerprint TEXT NOT NULL,
          issued_unix BIGINT NOT NULL,
          not_after TEXT NOT NULL,
          revoked_unix BIGINT);
        CREATE INDEX device_certificates_by_name ON device_certificates (name);

        -- SQLite's PRAGMA data_version moves when another connection
        -- commits. Here every statement on the tables a running server
        -- reloads (accounts, unlock requests, certificates) counts one
        -- change, and the session remembers how many were its own
        -- (edgehub.own_changes, undone with its transaction):
        -- data_version() is the difference.
        CREATE TABLE data_changes (
          only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
          n BIGINT NOT NULL);
        INSERT INTO data_changes (n) VALUES (0);
        CREATE FUNCTION edgehub_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE data_changes SET n = n + 1;
          PERFORM set_config('edgehub.own_changes',
            (COALESCE(NULLIF(current_setting('edgehub.own_changes', true), ''), '0')::bigint + 1)::text, false);
          RETURN NULL;
        END $$;
        CREATE TRIGGER accounts_changed AFTER INSERT OR UPDATE OR DELETE ON accounts
          FOR EACH STATEMENT EXECUTE FUNCTION edgehub_note_change();
        CREATE TRIGGER unlocks_changed AFTER INSERT OR UPDATE OR DELETE ON account_unlocks
          FOR EACH STATEMENT EXECUTE FUNCTION edgehub_note_change();
        CREATE TRIGGER certificates_changed AFTER INSERT OR UPDATE OR DELETE ON device_certificates
          FOR EACH STATEMENT EXECUTE FUNCTION edgehub_note_change();
      )sql",
      // 2: the cluster (docs/CLUSTER.md#the-node-registry-and-its-lease):
      // one row per running node, valid until lease_until (the database's
      // clock; hub/cluster/node_registry.hpp), and the logins of all nodes.
      R"sql(
        CREATE TABLE cluster_nodes (
          node_id TEXT COLLATE "C" PRIMARY KEY,
          addresses TEXT NOT NULL,
          started_at TIMESTAMPTZ NOT NULL,
          lease_until TIMESTAMPTZ NOT NULL);
        -- Who is logged in where (hub/cluster/login_table.hpp): the key
        -- refuses a second login of an account on any node; a node's
        -- logins go with its row.
        CREATE TABLE cluster_sessions (
          account TEXT COLLATE "C" PRIMARY KEY,
          node_id TEXT COLLATE "C" NOT NULL REFERENCES cluster_nodes (node_id) ON DELETE CASCADE,
          ip TEXT NOT NULL,
          udp_port INTEGER NOT NULL,
          login_at TIMESTAMPTZ NOT NULL);
        CREATE INDEX cluster_sessions_by_node ON cluster_sessions (node_id);
      )sql",
      // 3: resume tokens every node accepts (hub/cluster/token_table.hpp,
      // docs/CLUSTER.md#resume-tokens-across-nodes): one per account, kept
      // as digests (BLAKE2b, hex) of the token and of the fingerprint of the
      // certificate it is bound to (NULL: none), valid until expires_at
      // (the database's clock). Not tied to a node: a token outlives the
      // node that issued it.
      R"sql(
        CREATE TABLE cluster_resume_tokens (
          account TEXT COLLATE "C" PRIMARY KEY,
          digest TEXT NOT NULL,
          certificate TEXT,
          expires_at TIMESTAMPTZ NOT NULL);
        CREATE INDEX cluster_resume_tokens_by_expiry ON cluster_resume_tokens (expires_at);
      )sql",
      // 4: each login's udpkey, so that a node that reads who is online
      // elsewhere can introduce its devices to them for UVF and private
      // sessions (docs/CLUSTER.md#peer-to-peer-across-nodes).
      R"sql(
        ALTER TABLE cluster_sessions ADD COLUMN udp_key TEXT NOT NULL DEFAULT '';
      )sql",
      // 5: the swarm tracker across nodes (hub/cluster/swarm_table.hpp,
      // docs/CLUSTER.md#the-swarm-tracker-across-nodes): each version's
      // manifest once, and each logged-in device's announcements, which go
      // with its login. A manifest no announcement names is deleted a while
      // later (the grace keeps one whose announcement is being written).
      R"sql(
        CREATE TABLE cluster_swarm_manifests (
          root BYTEA PRIMARY KEY,
          size BIGINT NOT NULL,
          chunk_size INTEGER NOT NULL,
          digests BYTEA NOT NULL,
          stored_at TIMESTAMPTZ NOT NULL DEFAULT now());
        CREATE TABLE cluster_swarm_shares (
          account TEXT COLLATE "C" NOT NULL REFERENCES cluster_sessions (account) ON DELETE CASCADE,
          file TEXT NOT NULL,
          root BYTEA NOT NULL,
          complete BOOLEAN NOT NULL,
          PRIMARY KEY (account, file));
        CREATE INDEX cluster_swarm_shares_by_root ON cluster_swarm_shares (root);
      )sql",
      // 6: storing and deleting offline messages in one round trip each,
      // with the recipient's lock (store/postgres/recipient_locks.hpp):
      // LOCK_MODE 'held' takes none, 'wait' waits for it, 'try' answers
      // 'busy' without waiting when another transaction has it. Issue 17:
      // a cross-node message is stored on one node and deleted on another,
      // and four statements each way were what their store threads spent.
      R"sql(
        CREATE FUNCTION edgehub_take_recipient_lock(lock_mode TEXT, lock_key INTEGER)
        RETURNS BOOLEAN LANGUAGE plpgsql AS $$
        BEGIN
          IF lock_mode = 'wait' THEN
            PERFORM pg_advisory_xact_lock(1162363443, lock_key);
          ELSIF lock_mode = 'try' THEN
            RETURN pg_try_advisory_xact_lock(1162363443, lock_key);
          END IF;
          RETURN TRUE;
        END $$;
        CREATE FUNCTION edgehub_store_offline(lock_mode TEXT, lock_key INTEGER, max_queued BIGINT,
            p_seq BIGINT, p_recipient TEXT, p_sender TEXT, p_kind TEXT, p_body TEXT, p_sent_unix BIGINT)
        RETURNS TEXT LANGUAGE plpgsql AS $$
        DECLARE queued BIGINT;
        BEGIN
          IF NOT edgehub_take_recipient_lock(lock_mode, lock_key) THEN RETURN 'busy'; END IF;
          IF max_queued > 0 THEN
            SELECT n INTO queued FROM offline_counts WHERE recipient = p_recipient;
            IF COALESCE(queued, 0) >= max_queued THEN RETURN 'full'; END IF;
          END IF;
          INSERT INTO offline_messages(seq, recipient, sender, kind, body, sent_unix)
            VALUES (p_seq, p_recipient, p_sender, p_kind, p_body, p_sent_unix);
          INSERT INTO offline_counts(recipient, n) VALUES (p_recipient, 1)
            ON CONFLICT (recipient) DO UPDATE SET n = offline_counts.n + 1;
          RETURN 'stored';
        END $$;
        CREATE FUNCTION edgehub_delete_offline(lock_mode TEXT, lock_key INTEGER, p_recipient TEXT, p_ids BIGINT[])
        RETURNS TEXT LANGUAGE plpgsql AS $$
        DECLARE removed BIGINT;
        BEGIN
          IF NOT edgehub_take_recipient_lock(lock_mode, lock_key) THEN RETURN 'busy'; END IF;
          DELETE FROM offline_messages WHERE recipient = p_recipient AND id = ANY(p_ids);
          GET DIAGNOSTICS removed = ROW_COUNT;
          IF removed > 0 THEN
            UPDATE offline_counts SET n = n - removed WHERE recipient = p_recipient;
            DELETE FROM offline_counts WHERE recipient = p_recipient AND n <= 0;
          END IF;
          RETURN 'deleted';
        END $$;
      )sql",
      // 7: the broadcasts and failed logins sent to the other nodes, kept
      // a while for a node whose event connection was down
      // (hub/cluster/event_log.hpp, docs/CLUSTER.md#events-a-node-missed).
      R"sql(
        CREATE TABLE cluster_event_log (
          seq BIGSERIAL PRIMARY KEY,
          sent_at TIMESTAMPTZ NOT NULL DEFAULT now(),
          payload TEXT NOT NULL);
        CREATE INDEX cluster_event_log_by_age ON cluster_event_log (sent_at);
      )sql",
      // 8: a downloader's progress with its swarm announcement, its chunk
      // bitmap (hub/cluster/swarm_table.hpp,
      // docs/CLUSTER.md#the-swarm-tracker-across-nodes).
      R"sql(
        ALTER TABLE cluster_swarm_shares ADD COLUMN held BYTEA NOT NULL DEFAULT ''::bytea;
      )sql",
  };
  return steps;
}

}  // namespace edgehub::store
