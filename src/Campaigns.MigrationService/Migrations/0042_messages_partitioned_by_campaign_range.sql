-- Messages partitioned by ranges of campaign_id instead of its hash (issue 17; docs/scale.md, "Partitioned messages").
-- Campaign ids only grow, so every new campaign writes into the newest range, which reuses the space its own earlier
-- campaigns freed, as one table does; under hash each of the 16 partitions kept the high-water mark of its own few
-- campaigns (1,346 B of files a message in the benchmark against 836 B unpartitioned). Everything else stays: a
-- by-campaign statement still reads one partition, the keys still hold campaign_id, and an old campaign's delete and
-- vacuum stay in its partition (old partitions, whose campaigns are done, are not written any more at all).
--
-- Ranges are made ahead of the campaigns by extend_message_partitions(): this migration, then the worker's
-- MessagePartitionKeeper, keep message_partitioning.partitions_ahead ranges of campaigns_per_partition campaign ids
-- beyond the last campaign id handed out. The messages of a campaign no range holds (the keeper behind by that many
-- campaigns) go to the DEFAULT partition outbound_messages_overflow, so a send never fails for want of a partition;
-- the next range then starts above them.
--
-- The conversion copies the rows with their ids into one partition, outbound_messages_r0000, which holds every campaign
-- that exists, as 0030 did (a database holding many messages is best converted in a maintenance window).

CREATE TABLE message_partitioning (
    singleton               boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    campaigns_per_partition integer NOT NULL CHECK (campaigns_per_partition > 0),
    partitions_ahead        integer NOT NULL CHECK (partitions_ahead > 0)
);
INSERT INTO message_partitioning (campaigns_per_partition, partitions_ahead) VALUES (1000, 2);

-- The ranges made so far, in order (the overflow partition is not one of them). campaigns_from NULL: from the lowest.
CREATE TABLE message_partitions (
    partition_name text   PRIMARY KEY,
    campaigns_from bigint NULL UNIQUE,
    campaigns_to   bigint NOT NULL UNIQUE
);

-- The new table is the old one's shape, read from the catalog: columns, checks, identity and column settings by LIKE;
-- keys, indexes and triggers kept here as statements and run once the rows are in (one sorted build per index, one
-- check per key).
CREATE TEMPORARY TABLE message_table_shape ON COMMIT DROP AS
SELECT 1 AS step, format('ALTER TABLE outbound_messages ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid)) AS statement
FROM pg_constraint WHERE conrelid = 'outbound_messages'::regclass AND contype IN ('p', 'u', 'f')
UNION ALL
SELECT 2, replace(pg_get_indexdef(indexrelid), ' ON ONLY public.outbound_messages ', ' ON public.outbound_messages ')
FROM pg_index x WHERE indrelid = 'outbound_messages'::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
UNION ALL
SELECT 3, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'outbound_messages'::regclass AND NOT tgisinternal;

ALTER TABLE outbound_messages RENAME TO outbound_messages_hashed;
ALTER SEQUENCE outbound_messages_id_seq RENAME TO outbound_messages_hashed_id_seq;

CREATE TABLE outbound_messages (LIKE outbound_messages_hashed INCLUDING ALL EXCLUDING INDEXES)
PARTITION BY RANGE (campaign_id);

-- Every campaign there is, in the first range; campaigns from the next id on, in the ranges made below.
DO $$
DECLARE
    first_to bigint := coalesce(pg_sequence_last_value(pg_get_serial_sequence('campaigns', 'id')::regclass), 0) + 1;
BEGIN
    EXECUTE format('CREATE TABLE outbound_messages_r0000 PARTITION OF outbound_messages FOR VALUES FROM (MINVALUE) TO (%s)',
                   first_to);
    INSERT INTO message_partitions (partition_name, campaigns_from, campaigns_to) VALUES ('outbound_messages_r0000', NULL, first_to);
END
$$;
CREATE TABLE outbound_messages_overflow PARTITION OF outbound_messages DEFAULT;

-- The same columns in the same order (LIKE).
INSERT INTO outbound_messages OVERRIDING SYSTEM VALUE SELECT * FROM outbound_messages_hashed;

SELECT setval(pg_get_serial_sequence('outbound_messages', 'id'), s.last_value, s.is_called)
FROM outbound_messages_hashed_id_seq s;

-- The old table's delete triggers go with it; their functions stay, for the new table's (its shape, below).
DROP TABLE outbound_messages_hashed;

DO $$
DECLARE
    shape record;
BEGIN
    FOR shape IN SELECT statement FROM message_table_shape ORDER BY step, statement LOOP
        EXECUTE shape.statement;
    END LOOP;
END
$$;

-- A partition as every partition is: its indexes named after the table's, with the partition's suffix
-- (idx_outbound_messages_queued_r0003 on outbound_messages_r0003), so a plan says which index it reads; and its
-- campaigns counted at 100 for the planner whatever ANALYZE measures (0039: a large campaign sent after an ANALYZE of
-- many small ones would be estimated at a row or two, and read through an index on campaign_id alone).
CREATE FUNCTION prepare_message_partition(p_partition text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    partition_index record;
BEGIN
    FOR partition_index IN
        SELECT child.relname AS name, parent.relname || '_' || substr(p_partition, length('outbound_messages_') + 1) AS wanted
        FROM pg_index x
        JOIN pg_class child ON child.oid = x.indexrelid
        JOIN pg_inherits i ON i.inhrelid = child.oid
        JOIN pg_class parent ON parent.oid = i.inhparent
        WHERE x.indrelid = p_partition::regclass AND child.relname <> parent.relname || '_' || substr(p_partition, length('outbound_messages_') + 1)
    LOOP
        EXECUTE format('ALTER INDEX %I RENAME TO %I', partition_index.name, partition_index.wanted);
    END LOOP;
    EXECUTE format('ALTER TABLE %I ALTER COLUMN campaign_id SET (n_distinct = 100)', p_partition);
END
$$;

SELECT prepare_message_partition('outbound_messages_r0000');
SELECT prepare_message_partition('outbound_messages_overflow');

-- Whether a range starting at p_from (by default after the last one made) is due: within partitions_ahead ranges of the
-- last campaign id handed out (the sequence, so a create rolled back counts too).
CREATE FUNCTION message_partition_due(p_settings message_partitioning, p_from bigint DEFAULT NULL) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(p_from, (SELECT max(campaigns_to) FROM message_partitions))
        <= coalesce(pg_sequence_last_value(pg_get_serial_sequence('campaigns', 'id')::regclass), 0)
           + p_settings.campaigns_per_partition::bigint * p_settings.partitions_ahead
$$;

-- Makes the ranges that message_partitioning asks for ahead of the last campaign id handed out; returns how many (0
-- too while another caller makes them). A range is made as a table of its own and then attached, which takes:
--   * SHARE ROW EXCLUSIVE on campaigns and customers (the range's foreign keys): it waits for every open write to them
--     (a send holds campaigns for its whole transaction) and holds the next writes while it waits;
--   * SHARE UPDATE EXCLUSIVE on outbound_messages, which no read or write of messages waits for (CREATE TABLE …
--     PARTITION OF would take ACCESS EXCLUSIVE);
--   * ACCESS EXCLUSIVE on the overflow partition, to check that it holds none of the range's rows: every statement on
--     the messages not pruned away from the overflow (a lookup by id alone, the lease sweep, a join pruned only as it
--     runs) waits meanwhile.
-- They are taken first, only when a range is due, and in that order, so the overflow is held only once the slow ones
-- are had, and no campaign's messages can reach the overflow between reading its highest campaign and the check. The
-- caller sets a short lock_timeout and tries again later. Runs with its owner's rights (the schema's), so a service
-- connecting as a less privileged user needs only EXECUTE on it, granted (not PUBLIC's, below).
CREATE FUNCTION extend_message_partitions() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    settings message_partitioning;
    next_from bigint;
    partition_name text;
    number integer;
    made integer := 0;
BEGIN
    IF NOT pg_try_advisory_xact_lock(7150311002) THEN
        RETURN 0;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM message_partitions) THEN
        RAISE EXCEPTION 'message_partitions records no range: the first one is migration 0042''s';
    END IF;
    SELECT * INTO settings FROM message_partitioning;
    IF NOT message_partition_due(settings) THEN
        RETURN 0;
    END IF;
    LOCK TABLE campaigns, customers IN SHARE ROW EXCLUSIVE MODE;
    LOCK TABLE ONLY outbound_messages IN SHARE UPDATE EXCLUSIVE MODE;
    -- Statements on the messages queue behind this one: a caller that bounds its waits waits at most 100 ms here.
    IF current_setting('lock_timeout') <> '0' THEN
        PERFORM set_config('lock_timeout', '100ms', true);
    END IF;
    LOCK TABLE outbound_messages_overflow IN ACCESS EXCLUSIVE MODE;
    -- A new range starts above every campaign that exists (no campaign can be created now): one whose messages are
    -- being written, or are already in the overflow partition, stays where it writes.
    next_from := greatest((SELECT max(campaigns_to) FROM message_partitions),
                          (SELECT max(campaign_id) + 1 FROM outbound_messages_overflow),
                          coalesce(pg_sequence_last_value(pg_get_serial_sequence('campaigns', 'id')::regclass), 0) + 1);
    WHILE message_partition_due(settings, next_from) LOOP
        -- Numbered after the highest made, whatever ranges were detached since.
        number := (SELECT max(substring(p.partition_name FROM 'r(\d+)$')::integer) + 1 FROM message_partitions p);
        partition_name := 'outbound_messages_r' || lpad(number::text, greatest(4, length(number::text)), '0');
        EXECUTE format('CREATE TABLE %I (LIKE outbound_messages INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
        EXECUTE format('ALTER TABLE outbound_messages ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)',
                       partition_name, next_from, next_from + settings.campaigns_per_partition);
        PERFORM prepare_message_partition(partition_name);
        -- Statistics of an empty table (zero pages), not the planner's guess for one never analyzed (ten pages).
        EXECUTE format('ANALYZE %I', partition_name);
        INSERT INTO message_partitions (partition_name, campaigns_from, campaigns_to)
        VALUES (partition_name, next_from, next_from + settings.campaigns_per_partition);
        next_from := next_from + settings.campaigns_per_partition;
        made := made + 1;
    END LOOP;
    RETURN made;
END
$$;

-- Only the schema's owner and the services it grants it to make ranges: whoever calls it holds the locks above.
REVOKE EXECUTE ON FUNCTION extend_message_partitions() FROM PUBLIC;

SELECT extend_message_partitions();

-- Autovacuum analyzes the partitions, never a partitioned table itself: the table-wide statistics are taken here.
ANALYZE outbound_messages;
